#include "silt/fs/file_system.h"

namespace silt::fs {

Result<bool> FileSystem::Exists(const std::string& path) {
  Result<FileInfo> info = GetFileInfo(path);
  if (info.has_value()) return true;
  if (info.error().IsNotFound()) return false;
  return info.error();
}

std::string JoinPath(std::string_view base, std::string_view name) {
  if (base.empty()) return std::string(name);
  if (name.empty()) return std::string(base);
  std::string out(base);
  bool base_slash = out.back() == '/';
  bool name_slash = name.front() == '/';
  if (base_slash && name_slash) {
    name.remove_prefix(1);
  } else if (!base_slash && !name_slash) {
    out.push_back('/');
  }
  out.append(name);
  return out;
}

std::string_view StripTrailingSlashes(std::string_view path) {
  while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  return path;
}

std::string_view ParentPath(std::string_view path) {
  path = StripTrailingSlashes(path);
  size_t slash = path.rfind('/');
  if (slash == std::string_view::npos) return {};
  if (slash == 0) return path.substr(0, 1);
  return path.substr(0, slash);
}

std::string_view BaseName(std::string_view path) {
  path = StripTrailingSlashes(path);
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

}  // namespace silt::fs
