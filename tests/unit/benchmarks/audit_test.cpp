// The audit chain detects edits, deletions and broken links.
#include <gtest/gtest.h>

#include "endstate/benchmarks/audit.hpp"
#include "endstate/core/hash.hpp"

namespace endstate::benchmarks {
namespace {

std::vector<AuditEntry> three() {
  std::vector<AuditEntry> v;
  for (int i = 0; i < 3; ++i) {
    AuditEntry e;
    e.at = "2026-01-0" + std::to_string(i + 1) + "T00:00:00Z";
    e.kind = "assessment";
    e.subject = "s" + std::to_string(i);
    e.payload = "{}";
    chain(e, v.empty() ? nullptr : &v.back());
    v.push_back(e);
  }
  return v;
}

TEST(Audit, HashIsShaOfTheFields) {
  const auto v = three();
  EXPECT_EQ(v[0].seq, 1);
  EXPECT_EQ(v[0].prev_hash, kGenesisHash);
  EXPECT_EQ(v[0].hash, sha256_hex(kGenesisHash + "\n1\n2026-01-01T00:00:00Z\nassessment\ns0\n{}"));
  EXPECT_EQ(v[1].prev_hash, v[0].hash);
  EXPECT_TRUE(verify_chain(v).empty());
}

TEST(Audit, EditDetected) {
  auto v = three();
  v[1].payload = "{\"x\":1}";
  const auto p = verify_chain(v);
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].seq, 2);
}

TEST(Audit, EditWithRehashBreaksTheNextLink) {
  auto v = three();
  v[1].subject = "forged";
  v[1].hash = audit_hash(v[1]);
  const auto p = verify_chain(v);
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].seq, 3);
}

TEST(Audit, DeletionDetected) {
  auto v = three();
  v.erase(v.begin() + 1);
  const auto p = verify_chain(v);
  ASSERT_EQ(p.size(), 2u);  // gap and broken link, both at entry 3
  EXPECT_EQ(p[0].seq, 3);
  // Deleting the last entry is caught through the records that refer to it.
  auto w = three();
  w.pop_back();
  EXPECT_TRUE(verify_chain(w, {1, 2}).empty());
  const auto q = verify_chain(w, {1, 3});
  ASSERT_EQ(q.size(), 1u);
  EXPECT_EQ(q[0].seq, 3);
}

}  // namespace
}  // namespace endstate::benchmarks
