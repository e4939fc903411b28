// Encoding of file paths in the Delta log (PROTOCOL.md "Path encoding"; digest §5.1).
// `add.path`, `remove.path`, `cdc.path`, `sidecar.path` and the `p` deletion-vector path are URI
// references: relative to the table root or absolute ("s3://b/t/f.parquet", "file:/tmp/f").
// Decoding percent-decodes exactly once. Encoding reproduces what Spark writes (Hadoop's
// Path.toUri): ASCII control characters, space and " # % < > ? [ \ ] ^ ` { | } become %XX
// (uppercase hex); '/' and ':' stay, and non-ASCII UTF-8 stays raw. Decoding accepts
// percent-encoded UTF-8 too (delta-kernel-rs writes it), so both forms read the same.
#pragma once

#include <string>
#include <string_view>

#include "silt/base/result.h"

namespace silt::delta {

// "a%20b/c%25d" -> "a b/c%d". A '%' not followed by two hex digits is kCorruption.
Result<std::string> DecodePath(std::string_view encoded);

// The inverse of DecodePath for the paths silt writes: "a b/c%d" -> "a%20b/c%25d".
std::string EncodePath(std::string_view path);

// True when the (encoded) path has a URI scheme ("s3://...", "file:/..."): an absolute path.
// A relative path such as "a:b/c.parquet" is not mistaken for one, since a scheme cannot be
// followed by a character other than '/' in Delta paths.
bool IsAbsolutePath(std::string_view path);

}  // namespace silt::delta
