// Carana configuration: defaults, YAML overrides, and errors that say file,
// line and key.

#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "endstate/core/error.hpp"
#include "endstate/scenario/carana.hpp"
#include "scenario_test_util.hpp"

namespace endstate::scenario {
namespace {

using testing::TempDir;

std::string write(const TempDir& dir, const std::string& name, const std::string& text) {
  const std::string path = (dir.path() / name).string();
  std::ofstream(path) << text;
  return path;
}

/// Loads `text` and returns the Error it must raise.
Error load_error(const std::string& text) {
  TempDir dir("cfg");
  const std::string path = write(dir, "c.yaml", text);
  try {
    load_config(path);
  } catch (const Error& e) {
    return e;
  }
  ADD_FAILURE() << "no error for:\n" << text;
  return internal_error("none");
}

TEST(CaranaConfig, DefaultsAreValidAndDocumented) {
  const CaranaConfig c = default_config();
  EXPECT_NO_THROW(validate_config(c));
  EXPECT_EQ(c.provinces, 8);
  EXPECT_EQ(c.territories, 40);
  EXPECT_EQ(c.localities, 2000);
  EXPECT_GE(c.years, 12);
  const CaranaConfig e = effective_config(c);
  ASSERT_EQ(e.trajectories.size(), 8u);
  EXPECT_EQ(e.trajectories[0], Trajectory::kStabilising);
  EXPECT_EQ(e.trajectories[1], Trajectory::kDeteriorating);
  EXPECT_EQ(e.trajectories[2], Trajectory::kEscalation);
  EXPECT_EQ(e.trajectories[3], Trajectory::kQuiet);
  EXPECT_EQ(e.trajectories[7], Trajectory::kSteady);
  ASSERT_EQ(e.groups.size(), 5u);
  for (const auto& g : e.groups) {
    EXPECT_FALSE(g.provinces.empty()) << g.name;
    EXPECT_LE(g.share_one_sided + g.share_state, 1.0);
  }
}

TEST(CaranaConfig, EmptyFileGivesDefaults) {
  TempDir dir("cfg");
  const CaranaConfig c = load_config(write(dir, "empty.yaml", "# nothing\n"));
  EXPECT_EQ(config_to_yaml(c), config_to_yaml(default_config()));
}

TEST(CaranaConfig, OverridesAndGroups) {
  TempDir dir("cfg");
  const CaranaConfig c =
      load_config(write(dir, "c.yaml",
                        "country_name: Elbonia\n"
                        "provinces: 6\n"
                        "years: 15\n"
                        "hawkes_branching: 0.3\n"
                        "trajectories: [quiet, escalation, deteriorating, stabilising, steady, steady]\n"
                        "groups:\n"
                        "  - name: North Front\n"
                        "    share_one_sided: 0.2\n"
                        "    share_state: 0.6\n"
                        "    provinces: [1, 2]\n"
                        "  - name: Bandits\n"
                        "    rate_per_month: 4\n"));
  EXPECT_EQ(c.country_name, "Elbonia");
  EXPECT_EQ(c.provinces, 6);
  EXPECT_EQ(c.years, 15);
  EXPECT_DOUBLE_EQ(c.hawkes_branching, 0.3);
  ASSERT_EQ(c.trajectories.size(), 6u);
  EXPECT_EQ(c.trajectories[0], Trajectory::kQuiet);
  ASSERT_EQ(c.groups.size(), 2u);
  EXPECT_EQ(c.groups[0].provinces, (std::vector<int>{1, 2}));
  EXPECT_DOUBLE_EQ(c.groups[1].rate_per_month, 4);
  // A group without provinces operates everywhere.
  EXPECT_EQ(effective_config(c).groups[1].provinces.size(), 6u);
  EXPECT_EQ(c.width_km, default_config().width_km);
}

TEST(CaranaConfig, YamlRoundTripIsExact) {
  CaranaConfig c = effective_config(default_config());
  c.hawkes_decay_days = 0.1 + 0.2;  // not a short decimal
  c.population = 12'345'678.5;
  c.country_name = "Say \"Carana\"";
  TempDir dir("cfg");
  const CaranaConfig back = load_config(write(dir, "rt.yaml", config_to_yaml(c)));
  EXPECT_EQ(back.hawkes_decay_days, c.hawkes_decay_days);
  EXPECT_EQ(back.population, c.population);
  EXPECT_EQ(back.country_name, c.country_name);
  EXPECT_EQ(config_to_yaml(back), config_to_yaml(c));
}

TEST(CaranaConfig, UnknownKeyNamesFileLineAndKey) {
  const Error e = load_error("provinces: 8\nyears: 13\nbranching: 0.5\n");
  EXPECT_EQ(e.category(), ErrorCategory::kBadInput);
  EXPECT_EQ(e.where().line, 3);
  EXPECT_EQ(e.where().field, "branching");
  EXPECT_NE(e.where().file.find("c.yaml"), std::string::npos);
  EXPECT_NE(std::string(e.what()).find("unknown key"), std::string::npos);
}

TEST(CaranaConfig, WrongTypes) {
  Error e = load_error("years: 13\nprovinces: eight\n");
  EXPECT_EQ(e.category(), ErrorCategory::kBadInput);
  EXPECT_EQ(e.where().line, 2);
  EXPECT_EQ(e.where().field, "provinces");
  e = load_error("width_km: [1, 2]\n");
  EXPECT_EQ(e.where().line, 1);
  EXPECT_EQ(e.where().field, "width_km");
  e = load_error("territories: 40.5\n");
  EXPECT_EQ(e.where().field, "territories");
  e = load_error("groups:\n  - name: A\n    rate_per_month: lots\n");
  EXPECT_EQ(e.where().line, 3);
  EXPECT_EQ(e.where().field, "groups[0].rate_per_month");
  e = load_error("trajectories: [stabilising, exploding]\n");
  EXPECT_EQ(e.where().line, 1);
  EXPECT_NE(std::string(e.what()).find("exploding"), std::string::npos);
}

TEST(CaranaConfig, OutOfRangeValues) {
  Error e = load_error("# Carana\nyears: 13\nprovinces: 3\n");
  EXPECT_EQ(e.category(), ErrorCategory::kBadInput);
  EXPECT_EQ(e.where().line, 3);
  EXPECT_EQ(e.where().field, "provinces");
  EXPECT_NE(std::string(e.what()).find("4"), std::string::npos);

  e = load_error("hawkes_branching: 1.0\n");
  EXPECT_EQ(e.where().field, "hawkes_branching");
  EXPECT_EQ(e.where().line, 1);
  e = load_error("provinces: 8\n\n\nyears: 0\n");
  EXPECT_EQ(e.where().field, "years");
  EXPECT_EQ(e.where().line, 4);
  e = load_error("drawdown_share: -0.1\n");
  EXPECT_EQ(e.where().field, "drawdown_share");
  e = load_error("provinces: 6\ntrajectories: [quiet, steady]\n");
  EXPECT_EQ(e.where().field, "trajectories");
  EXPECT_EQ(e.where().line, 2);
  e = load_error("groups:\n  - name: A\n    provinces: [0, 9]\n");
  EXPECT_EQ(e.where().field, "groups[0].provinces");
  EXPECT_EQ(e.where().line, 3);
  e = load_error("groups:\n  - name: A\n    share_state: 0.7\n    share_one_sided: 0.5\n");
  EXPECT_EQ(e.where().field, "groups[0].share_state");
  e = load_error("groups:\n  - name: A\n  - name: A\n");
  EXPECT_EQ(e.where().field, "groups[1].name");
  EXPECT_EQ(e.where().line, 3);
  e = load_error("groups:\n  - share_state: 0.5\n");
  EXPECT_EQ(e.where().line, 2);
  e = load_error("groups:\n  - name: A\n    colour: red\n");
  EXPECT_EQ(e.where().field, "groups[0].colour");
  EXPECT_EQ(e.where().line, 3);
  e = load_error("localities: 10\n");
  EXPECT_EQ(e.where().field, "localities");
}

TEST(CaranaConfig, SyntaxErrorsAndMissingFiles) {
  const Error e = load_error("years: 13\nprovinces: [8\nterritories: 40\n");
  EXPECT_EQ(e.category(), ErrorCategory::kBadInput);
  EXPECT_GE(e.where().line, 2);
  try {
    load_config("/nonexistent/carana.yaml");
    FAIL() << "no error";
  } catch (const Error& err) {
    EXPECT_EQ(err.category(), ErrorCategory::kNotFound);
  }
}

TEST(CaranaConfig, GenerateRefusesInvalidConfigurations) {
  TempDir dir("cfg");
  CaranaConfig c = default_config();
  c.hawkes_branching = 1.2;
  try {
    generate_carana(c, 1, dir.str());
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.category(), ErrorCategory::kBadInput);
    EXPECT_EQ(e.where().field, "hawkes_branching");
  }
  EXPECT_TRUE(std::filesystem::is_empty(dir.path()));
}

TEST(CaranaConfig, TrajectoryNames) {
  for (Trajectory t : {Trajectory::kStabilising, Trajectory::kDeteriorating, Trajectory::kEscalation,
                       Trajectory::kQuiet, Trajectory::kSteady})
    EXPECT_EQ(parse_trajectory(to_string(t)), t);
  EXPECT_FALSE(parse_trajectory("Stable").has_value());
}

}  // namespace
}  // namespace endstate::scenario
