#pragma once
// Fixtures for the geo tests: temporary directories, areas from WKT (through
// OGR, independent of geo's own WKB code), and checks on thrown errors.

#include <unistd.h>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <initializer_list>
#include <optional>
#include <string>

#include <gtest/gtest.h>
#include <ogr_geometry.h>

#include "endstate/core/domain.hpp"
#include "endstate/core/error.hpp"
#include "endstate/geo/areas_io.hpp"

namespace endstate::geo::testutil {

/// A fresh directory under the system temp dir, removed at scope exit.
class TempDir {
 public:
  TempDir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    const std::string name = info ? std::string(info->test_suite_name()) + "_" + info->name() : "geo";
    path_ = std::filesystem::temp_directory_path() / ("endstate_geo_" + std::to_string(::getpid()) + "_" + name);
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] std::string file(const std::string& name) const { return (path_ / name).string(); }
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

inline void write_text(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

/// ISO WKB of a WKT geometry, through OGR.
inline std::vector<std::uint8_t> wkb_from_wkt(const std::string& wkt) {
  OGRGeometry* g = nullptr;
  if (OGRGeometryFactory::createFromWkt(wkt.c_str(), nullptr, &g) != OGRERR_NONE || !g) {
    ADD_FAILURE() << "bad WKT in test: " << wkt;
    return {};
  }
  std::vector<std::uint8_t> wkb(g->WkbSize());
  g->exportToWkb(wkbNDR, wkb.data(), wkbVariantIso);
  OGRGeometryFactory::destroyGeometry(g);
  return wkb;
}

inline Area area_from_wkt(const std::string& id, const std::string& level, const std::string& wkt) {
  Area a;
  a.id = id;
  a.name = id;
  a.level = level;
  a.wkb = wkb_from_wkt(wkt);
  compute_metrics(a);
  return a;
}

/// Runs `f`, expecting Error(kBadInput) whose what() contains every one of `parts`.
/// When `field` is given, the error's position must name it.
inline void expect_bad_input(const std::function<void()>& f, std::initializer_list<std::string> parts,
                             const std::optional<std::string>& field = std::nullopt) {
  try {
    f();
    ADD_FAILURE() << "expected Error(kBadInput), nothing was thrown";
  } catch (const Error& e) {
    EXPECT_EQ(e.category(), ErrorCategory::kBadInput) << e.what();
    const std::string what = e.what();
    for (const auto& p : parts) EXPECT_NE(what.find(p), std::string::npos) << "'" << p << "' not in: " << what;
    if (field) {
      EXPECT_EQ(e.where().field, *field) << what;
    }
  }
}

}  // namespace endstate::geo::testutil
