#include "endstate/geo/versions.hpp"

#include <gdal.h>
#include <geos_c.h>

namespace endstate::geo {

std::string gdal_version() { return std::string("GDAL ") + GDALVersionInfo("RELEASE_NAME"); }

std::string geos_version() { return std::string("GEOS ") + GEOSversion(); }

}  // namespace endstate::geo
