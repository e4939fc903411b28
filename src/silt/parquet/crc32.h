// CRC-32 (ISO-HDLC / IEEE 802.3, polynomial 0x04C11DB7 reflected, as zlib's crc32) of page
// bodies: parquet-format PageHeader.crc. On x86-64 with PCLMULQDQ the bulk of the input is
// folded 64 bytes at a time with carry-less multiplication (Gopal et al., "Fast CRC computation
// for generic polynomials using PCLMULQDQ", Intel 2009); elsewhere, and for short inputs, zlib
// computes it.
#pragma once

#include <cstdint>
#include <string_view>

namespace silt::parquet {

// The CRC-32 of `data` continuing from `crc` (0 for a new checksum): Crc32(b, Crc32(a)) equals
// Crc32(a + b), and the value equals zlib's crc32(crc, data, size). Thread-safe.
uint32_t Crc32(std::string_view data, uint32_t crc = 0);

}  // namespace silt::parquet
