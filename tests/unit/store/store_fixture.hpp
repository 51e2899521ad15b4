#pragma once
// A fresh store per test on the backend under test: an SQLite file in a
// scratch folder, or (ENDSTATE_TEST_DB_BACKEND=postgresql) a fresh database of
// the test cluster (tests/postgres/test_store.hpp).

#include <filesystem>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "endstate/core/domain.hpp"
#include "postgres/test_store.hpp"

namespace endstate::store::testing {

using endstate::testing::postgres_backend;
using endstate::testing::ScratchDatabase;

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    const std::string name = std::string(info->test_suite_name()) + "_" + info->name();
    // The process id keeps the SQLite and PostgreSQL runs of a test (side by side under ctest -j) apart.
    dir_ = std::filesystem::temp_directory_path() / ("endstate_store_" + name + "_" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    if (postgres_backend()) {
      scratch_ = std::make_unique<ScratchDatabase>(info->name());
      path_ = scratch_->location();
    } else {
      path_ = (dir_ / "t.db").string();
    }
  }
  void TearDown() override {
    std::filesystem::remove_all(dir_);
    scratch_.reset();
  }

  /// True when an endstate store exists at path_.
  [[nodiscard]] bool store_exists() const { return scratch_ ? scratch_->has_store() : std::filesystem::exists(path_); }

  /// A 1 x 1 degree square with its lower-left corner at (lon, lat), as WKB.
  static std::vector<std::uint8_t> square_wkb(double lon = 0, double lat = 0) {
    std::vector<std::uint8_t> w = {1, 3, 0, 0, 0, 1, 0, 0, 0, 5, 0, 0, 0};  // little-endian Polygon, 1 ring, 5 points
    const double pts[5][2] = {{lon, lat}, {lon + 1, lat}, {lon + 1, lat + 1}, {lon, lat + 1}, {lon, lat}};
    for (const auto& p : pts) {
      for (double v : p) {
        const auto* b = reinterpret_cast<const std::uint8_t*>(&v);
        w.insert(w.end(), b, b + sizeof v);
      }
    }
    return w;
  }

  std::filesystem::path dir_;
  std::string path_;  ///< the store's location: a file path or a postgresql: location
  std::unique_ptr<ScratchDatabase> scratch_;
};

}  // namespace endstate::store::testing
