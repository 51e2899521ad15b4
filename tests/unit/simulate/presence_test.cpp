#include <gtest/gtest.h>

#include "endstate/core/error.hpp"
#include "endstate/simulate/presence.hpp"

namespace endstate::simulate {
namespace {

TEST(Presence, DefaultFileIsTheDefaults) {
  const auto e = parse_presence_effect(default_presence_yaml(), "presence.yaml");
  const PresenceEffect d;
  EXPECT_FALSE(e.none);
  EXPECT_EQ(e.effect, d.effect);
  EXPECT_DOUBLE_EQ(e.full_km, d.full_km);
  EXPECT_DOUBLE_EQ(e.zero_km, d.zero_km);
  EXPECT_DOUBLE_EQ(e.displacement_share, d.displacement_share);
  EXPECT_EQ(e.displacement_neighbours, d.displacement_neighbours);
  EXPECT_DOUBLE_EQ(e.withdrawal_spike, d.withdrawal_spike);
  EXPECT_EQ(e.withdrawal_months, d.withdrawal_months);
}

TEST(Presence, NoneSwitchesItOff) {
  for (const char* text : {"none\n", "presence_effect:\n  none: true\n"}) {
    const auto e = parse_presence_effect(text, "p.yaml");
    EXPECT_TRUE(e.none);
    EXPECT_DOUBLE_EQ(e.kind_ratio(0, 0.0, 1.0), 1.0);
  }
}

TEST(Presence, KernelAndRatio) {
  PresenceEffect e;
  EXPECT_DOUBLE_EQ(e.presence_at(10), 1.0);
  EXPECT_DOUBLE_EQ(e.presence_at(32.5), 0.5);
  EXPECT_DOUBLE_EQ(e.presence_at(60), 0.0);
  // Leaving a fully protected area: one-sided violence back to 1 / 0.6 of today's.
  EXPECT_NEAR(e.kind_ratio(static_cast<std::size_t>(Kind::kOneSided), 0.0, 1.0), 1.0 / 0.6, 1e-12);
  EXPECT_DOUBLE_EQ(e.kind_ratio(static_cast<std::size_t>(Kind::kOther), 0.0, 1.0), 1.0);
}

void expect_error(const std::string& text, const std::string& field, int line) {
  try {
    (void)parse_presence_effect(text, "p.yaml");
    FAIL() << "no error for " << text;
  } catch (const Error& e) {
    EXPECT_EQ(e.category(), ErrorCategory::kBadInput);
    EXPECT_EQ(e.where().field, field) << e.what();
    EXPECT_EQ(e.where().line, line) << e.what();
    EXPECT_EQ(e.where().file, "p.yaml");
  }
}

TEST(Presence, BadFilesNameLineAndField) {
  expect_error("presence_effect:\n  effect:\n    one_sided: -2\n", "presence_effect.effect.one_sided", 3);
  expect_error("presence_effect:\n  effect:\n    rebels: -0.5\n", "presence_effect.effect.rebels", 3);
  expect_error("presence_effect:\n  distance:\n    full_km: 40\n    zero_km: 30\n", "presence_effect.distance.zero_km",
               4);
  expect_error("presence_effect:\n  withdrawal:\n    months: 2.5\n", "presence_effect.withdrawal.months", 3);
  expect_error("presence_effect:\n  id: a\n  id: b\n", "presence_effect.id", 3);
  expect_error("other: 1\n", "presence_effect", 1);
}

}  // namespace
}  // namespace endstate::simulate
