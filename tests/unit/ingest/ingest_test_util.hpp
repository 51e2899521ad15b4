#pragma once
// Fixtures for the ingest tests: files written to a per-test temporary
// directory, and sinks that record everything a reader hands them.

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "endstate/core/domain.hpp"
#include "endstate/core/error.hpp"
#include "endstate/ingest/readers.hpp"

namespace endstate::ingest::testing {

/// A fresh directory per test, removed afterwards.
class TempDir : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = std::filesystem::temp_directory_path() /
           ("endstate_ingest_" + std::string(info->test_suite_name()) + "_" + info->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  /// Writes `content` byte for byte and returns the path.
  std::string write(const std::string& name, const std::string& content) const {
    const auto p = dir_ / name;
    std::ofstream(p, std::ios::binary) << content;
    return p.string();
  }

  std::filesystem::path dir_;
};

struct EventCollector final : EventSink {
  std::vector<std::pair<Event, std::int64_t>> events;
  std::vector<Reject> rejects;
  std::vector<std::pair<std::int64_t, std::int64_t>> progress;
  void on_event(Event&& e, std::int64_t line) override { events.emplace_back(std::move(e), line); }
  void on_reject(Reject&& r) override { rejects.push_back(std::move(r)); }
  void on_progress(std::int64_t done, std::int64_t total) override { progress.emplace_back(done, total); }
};

struct SiteCollector final : SiteSink {
  struct Row {
    Site site;
    Deployment deployment;
    std::int64_t line;
  };
  std::vector<Row> rows;
  std::vector<Reject> rejects;
  void on_site(Site&& s, Deployment&& d, std::int64_t line) override {
    rows.push_back({std::move(s), std::move(d), line});
  }
  void on_reject(Reject&& r) override { rejects.push_back(std::move(r)); }
};

struct ObservationCollector final : ObservationSink {
  std::vector<std::pair<Observation, std::int64_t>> observations;
  std::vector<Reject> rejects;
  void on_observation(Observation&& o, std::int64_t line) override { observations.emplace_back(std::move(o), line); }
  void on_reject(Reject&& r) override { rejects.push_back(std::move(r)); }
};

/// Runs `fn` and returns the Error it throws (fails the test when it throws nothing).
template <typename Fn>
Error expect_error(Fn&& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e;
  }
  ADD_FAILURE() << "expected an endstate::Error";
  return Error(ErrorCategory::kInternal, "no error thrown");
}

}  // namespace endstate::ingest::testing
