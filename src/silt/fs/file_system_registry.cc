#include "silt/fs/file_system_registry.h"

#include <cctype>
#include <string>

#include "silt/fs/local_file_system.h"
#include "silt/fs/memory_file_system.h"

namespace silt::fs {
namespace {

// The scheme of "<scheme>:..." in lower case, or "" for a plain path. A plain path may contain
// ':' (partition values do), so only an RFC 3986 scheme followed by "//" counts, plus "file:/".
std::string SchemeOf(std::string_view uri) {
  size_t colon = uri.find(':');
  if (colon == std::string_view::npos || colon == 0) return {};
  std::string scheme;
  for (size_t i = 0; i < colon; ++i) {
    unsigned char c = static_cast<unsigned char>(uri[i]);
    bool ok = std::isalpha(c) || (i > 0 && (std::isdigit(c) || c == '+' || c == '-' || c == '.'));
    if (!ok) return {};
    scheme.push_back(static_cast<char>(std::tolower(c)));
  }
  std::string_view rest = uri.substr(colon + 1);
  if (rest.starts_with("//") || (scheme == "file" && rest.starts_with('/'))) return scheme;
  return {};
}

}  // namespace

std::shared_ptr<FileSystem> ProcessMemoryFileSystem() {
  // Never destroyed: tables in it live as long as the process, and no destructor runs at exit
  // while another thread may still use it.
  static auto* const fs = new std::shared_ptr<FileSystem>(std::make_shared<MemoryFileSystem>());
  return *fs;
}

Result<std::shared_ptr<FileSystem>> FileSystemFromUri(std::string_view uri) {
  if (uri.empty()) return Status::InvalidArgument("empty file system location");
  std::string scheme = SchemeOf(uri);
  if (scheme.empty() || scheme == "file") {
    SILT_RETURN_NOT_OK(LocalPathFromUri(uri));  // rejects a remote host
    return std::shared_ptr<FileSystem>(std::make_shared<LocalFileSystem>());
  }
  if (scheme == "memory") return ProcessMemoryFileSystem();
  return Status::Unsupported("'{}': file system scheme '{}' is not supported (supported: file, memory)",
                             uri, uri.substr(0, scheme.size()));
}

}  // namespace silt::fs
