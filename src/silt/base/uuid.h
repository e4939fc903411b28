// Random (version 4) UUIDs, as Delta uses for table ids, query ids and data file names.
#pragma once

#include <string>
#include <string_view>

namespace silt {

// "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx", lower-case hex. Thread-safe.
std::string NewUuid();

// True when `s` has the 8-4-4-4-12 hex shape of a UUID.
bool IsUuid(std::string_view s);

}  // namespace silt
