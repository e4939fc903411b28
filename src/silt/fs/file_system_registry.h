// FileSystemFromUri: picks the FileSystem implementation for a table or checkpoint location.
#pragma once

#include <memory>
#include <string_view>

#include "silt/base/result.h"
#include "silt/fs/file_system.h"

namespace silt::fs {

// "file:///x", "/x" and "x" (plain paths) -> a LocalFileSystem.
// "memory://..." -> the process-wide MemoryFileSystem (the same object on every call, so a
//   table written through one handle is readable through another).
// Any other "<scheme>://" -> kUnsupported naming the scheme; a "file://" URI naming another
//   host -> kInvalidArgument.
// The location itself is not touched. Pass full paths or URIs back to the returned FileSystem:
// both implementations accept the forms above.
Result<std::shared_ptr<FileSystem>> FileSystemFromUri(std::string_view uri);

// The MemoryFileSystem behind "memory://".
std::shared_ptr<FileSystem> ProcessMemoryFileSystem();

}  // namespace silt::fs
