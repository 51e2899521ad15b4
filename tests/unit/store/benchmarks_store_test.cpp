// Store side of the benchmarks work (migration 0002): framework versions,
// sign-offs, assessments with results, and the append-only audit log.
#include <filesystem>

#include <gtest/gtest.h>

#include "endstate/core/error.hpp"
#include "endstate/store/database.hpp"
#include "store_fixture.hpp"

namespace endstate::store {
namespace {

class BenchmarksStoreTest : public testing::StoreTest {};

FrameworkRow fw_row(const std::string& label, const std::string& sha, std::int64_t seq) {
  FrameworkRow r;
  r.framework_id = "f";
  r.label = label;
  r.name = "F";
  r.area_level = "province";
  r.file = "f.yaml";
  r.sha256 = sha;
  r.yaml = "framework: {}\n";
  r.imported_at = "2026-01-01T00:00:00Z";
  r.audit_seq = seq;
  return r;
}

TEST_F(BenchmarksStoreTest, SchemaIsAtLeastTwo) {
  auto db = Database::open(path_);
  EXPECT_GE(db.schema_version(), 2);
}

TEST_F(BenchmarksStoreTest, FrameworkVersionsAreKept) {
  auto db = Database::open(path_);
  EXPECT_FALSE(db.framework().has_value());
  EXPECT_EQ(db.insert_framework(fw_row("1", "aa", 1)), 1);
  EXPECT_EQ(db.insert_framework(fw_row("2", "bb", 2)), 2);
  const auto all = db.frameworks();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_TRUE(all[0].yaml.empty());
  EXPECT_EQ(db.framework()->label, "2");
  EXPECT_EQ(db.framework(1)->yaml, "framework: {}\n");
  EXPECT_FALSE(db.framework(7).has_value());
  EXPECT_EQ(db.framework_by_sha256("aa")->version, 1);
  SignoffRow s;
  s.framework_version = 1;
  s.stakeholder = "un";
  s.signed_by = "SRSG";
  s.signed_at = "2026-01-02T00:00:00Z";
  s.version_sha256 = "aa";
  s.audit_seq = 3;
  db.insert_signoff(s);
  ASSERT_EQ(db.signoffs().size(), 1u);
  EXPECT_EQ(*db.signoffs()[0].framework_version, 1);
  EXPECT_EQ((std::vector<std::int64_t>{1, 2, 3}), db.audit_references());
}

TEST_F(BenchmarksStoreTest, AssessmentsAndAreaResults) {
  auto db = Database::open(path_);
  db.insert_framework(fw_row("1", "aa", 1));
  AssessmentRow a;
  a.framework_version = 1;
  a.month = *Month::from_ym(2024, 6);
  a.level = "province";
  a.data_fingerprint = "ff";
  a.created_at = "2026-01-01T00:00:00Z";
  a.audit_seq = 2;
  const auto id = db.insert_assessment(a, {{"p1", "", "indicator", "x", 2.5, "value"},
                                           {"p1", "un", "readiness", "", 0.5, "ready"},
                                           {"p2", "un", "readiness", "", std::nullopt, "no_data"}});
  EXPECT_EQ(id, 1);
  const auto rows = db.area_results("p1");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].first.month, *Month::from_ym(2024, 6));
  EXPECT_EQ(rows[0].second.item_kind, "indicator");
  EXPECT_DOUBLE_EQ(*rows[0].second.value, 2.5);
  EXPECT_FALSE(db.area_results("p2")[0].second.value.has_value());
  EXPECT_EQ(db.assessments().size(), 1u);
}

TEST_F(BenchmarksStoreTest, AuditLogIsAppendOnly) {
  auto db = Database::open(path_);
  EXPECT_FALSE(db.last_audit().has_value());
  db.insert_audit({1, "t", "k", "s", "{}", "0", "h1"});
  db.insert_audit({2, "t", "k", "s", "{}", "h1", "h2"});
  EXPECT_EQ(db.last_audit()->hash, "h2");
  EXPECT_EQ(db.audit_log().size(), 2u);
  // A duplicate sequence number is refused.
  EXPECT_THROW(db.insert_audit({2, "t", "k", "s", "{}", "h1", "h2"}), Error);
}

}  // namespace
}  // namespace endstate::store
