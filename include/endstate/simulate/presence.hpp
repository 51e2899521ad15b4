#pragma once
// The presence effect: how the violence an area's forecast model expects
// changes when peacekeepers leave (or stay), by kind of violence and by
// distance from the nearest open base, with some of the violence averted in
// protected areas moved to their unprotected neighbours and a short spike
// after a withdrawal. It is an assumption, not an estimate: the defaults are
// priors of the order the literature reports (docs/simulate.md cites each),
// every number is adjustable in a YAML file, and `none` switches it off.
//
//   Hultman, Kathman & Shannon 2013, "United Nations peacekeeping and
//     civilian protection in civil war", American Journal of Political
//     Science 57(4): civilian killings fall sharply as UN troop and police
//     numbers grow;
//   Hultman, Kathman & Shannon 2014, "Beyond keeping peace: United Nations
//     effectiveness in the midst of fighting", American Political Science
//     Review 108(4): battlefield deaths fall with UN troop numbers;
//   Fjelde, Hultman & Nilsson 2019, "Protection through presence: UN
//     peacekeeping and the costs of targeting civilians", International
//     Organization 73(1): local presence reduces rebel violence against
//     civilians, not government violence;
//   "Violence reduction or relocation? Effects of United Nations troops
//     presence on local levels of violence", Zeitschrift fuer Friedens- und
//     Konfliktforschung 2019 (doi 10.1007/s42597-019-00009-w; DR Congo
//     2000-2014): presence reduces violence where troops are and shifts some
//     of it to surrounding areas;
//   Smidt et al. 2021, "(UN-)protected elections - left for good?
//     Withdrawal of United Nations peacekeeping operations and its effects on
//     violence during electoral periods": withdrawals are followed by spikes
//     in political violence.
//
// The model (docs/simulate.md): presence p in [0, 1] of an area is 1 within
// `full_km` of an open base (great circle to the area's centroid), falling
// linearly to 0 at `zero_km`. For violence of kind k with effect e_k (the
// relative change of expected violence under full presence, -0.5 = halved),
// expected violence scales by (1 + e_k)^p. The forecast model learned from
// history with today's presence, so paths use the ratio to the origin's
// presence: a path on which nothing changes has multiplier 1.

#include <array>
#include <cstddef>
#include <string>

namespace endstate::simulate {

/// Kinds of violence the effect distinguishes (the panel's violence types
/// grouped; UCDP/ACLED do not tell the perpetrator of one-sided violence).
enum class Kind : std::size_t { kOneSided = 0, kStateBased = 1, kNonState = 2, kOther = 3 };
inline constexpr std::size_t kKinds = 4;
/// "one_sided", "state_based", "non_state", "other".
std::string to_string(Kind k);

struct PresenceEffect {
  std::string id = "priors";
  bool none = false;    ///< true: presence changes nothing (every multiplier 1)
  double full_km = 15;  ///< full effect within this distance of an open base
  double zero_km = 50;  ///< no effect beyond this distance; linear in between
  /// Relative change of expected violence of each kind under full presence
  /// (-0.4 = 40% less), indexed by Kind.
  std::array<double, kKinds> effect{-0.4, -0.3, -0.1, 0.0};
  double displacement_share = 0.25;  ///< share of the averted violence moved to unprotected neighbours
  int displacement_neighbours = 4;   ///< the nearest areas that receive it
  double withdrawal_spike = 0.25;    ///< extra violence right after presence ends (relative, per unit of presence lost)
  int withdrawal_months = 6;         ///< ... for this many months, decaying linearly

  /// The effect switched off.
  static PresenceEffect off();

  /// Multiplier of one kind at presence p now against p0 at the origin.
  [[nodiscard]] double kind_ratio(std::size_t kind, double p, double p0) const;
  /// Presence of a base at `km` from the area (1 within full_km, 0 beyond zero_km).
  [[nodiscard]] double presence_at(double km) const;
};

/// The default file (the priors with comments), as text.
const std::string& default_presence_yaml();

/// Parses a presence effect file ("none" as the whole text, or a YAML
/// document with a top-level `presence_effect:` mapping). Error(kBadInput)
/// naming file, line and field on the first problem (unknown or duplicate
/// keys, out-of-range numbers, zero_km < full_km).
PresenceEffect parse_presence_effect(const std::string& yaml_text, const std::string& file_name);

}  // namespace endstate::simulate
