#pragma once
// Versions of the geometry libraries endstate runs on (for --version).

#include <string>

namespace endstate::geo {

/// "GDAL 3.6.2".
std::string gdal_version();
/// "GEOS 3.11.1".
std::string geos_version();

}  // namespace endstate::geo
