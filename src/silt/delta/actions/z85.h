// Z85 (ZeroMQ RFC 32 base-85), as Delta uses it for deletion vectors (PROTOCOL.md "Deletion
// Vector Format"; digest §10.3): UUIDs of `u` DV files and inline `i` bitmaps.
#pragma once

#include <string>
#include <string_view>

#include "silt/base/result.h"

namespace silt::delta {

// Encodes bytes, padding the input with zero bytes to a multiple of 4 first (as Delta does);
// the output has 5 * ceil(n / 4) characters.
std::string EncodeZ85(std::string_view bytes);

// Decodes Z85 text. kCorruption when the length is not a multiple of 5, a character is outside
// the alphabet, or a group exceeds 32 bits. A last group left-padded with '#' encodes a short
// tail (k < 4 bytes in k + 1 digits), as some Delta writers produce for inline deletion vectors.
// The result keeps any zero padding; callers trim to the size they know.
Result<std::string> DecodeZ85(std::string_view text);

}  // namespace silt::delta
