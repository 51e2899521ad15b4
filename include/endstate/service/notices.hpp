#pragma once
// Who a closure or a province exit affects, for public notices
// (docs/report.md, "Notices"): every locality within reach of a base that
// closes, when it closes, and who provides security afterwards - another
// base still within reach, helicopters from a base with aviation within the
// mitigation window, or the national police and authorities - with the
// consultations held there. The closures are a list of today's bases at one
// month, or a transition plan's closures and exits phase by phase (each at
// its phase's first month).

#include <optional>
#include <string>
#include <vector>

#include "endstate/core/types.hpp"
#include "endstate/service/plan.hpp"
#include "endstate/store/records.hpp"

namespace endstate::service {

struct NoticeTargetsRequest {
  std::vector<std::string> close;  ///< bases closing (keys or names of today's active sites); not with `plan`
  /// A transition plan run first (Engine::plan_run; its `file` set): the bases
  /// it closes in each phase, at that phase's first month, replace `close`.
  std::optional<PlanRequest> plan;
  /// `close`: when they close (default: the month after the last event month);
  /// `plan`: only the changes of the phase starting in this month (default: every phase).
  std::optional<Month> month;
  std::string localities_file;             ///< localities CSV (name, latitude, longitude[, population])
  std::string level;                       ///< level of the localities' area on a notice ("" = territory when present)
  double response_hours = 2;               ///< a locality is within reach of a base within this time
  std::optional<double> mitigation_hours;  ///< air mitigation window (default 2 x response_hours)
};

/// Checks the request's fields without opening the store (Engine::notice_targets
/// does it first; a front end queueing the call checks it at once): Error naming the field.
void check_request(const NoticeTargetsRequest& r);

/// Who provides security to a locality after the change.
enum class SecurityAfter {
  kBase,    ///< another base still reaches it within the response time
  kAir,     ///< helicopters from a base with aviation, within the mitigation window
  kPolice,  ///< no mission base or helicopter in reach: national police and authorities
};
std::string to_string(SecurityAfter s);

struct AffectedLocality {
  std::string name;
  LatLon where;
  double population = 0;
  std::string area_id, area;          ///< its area at the notice level (territory)
  std::string province_id, province;  ///< the area's parent
  std::string change = "closure";     ///< "closure" or "exit" (the province is exited)
  std::string site;                   ///< the closing base that reached it fastest
  double hours_before = 0;            ///< response hours from that base
  Month when;                         ///< the month the change takes effect
  SecurityAfter after = SecurityAfter::kPolice;
  std::string after_site;  ///< base or helicopter base (kBase, kAir)
  double after_hours = 0;  ///< response hours from it
  std::vector<store::ConsultationRow> consultations;
};

/// One base closing (or a province exited) at one month.
struct NoticeClosure {
  std::string site_id, site;
  Month when;
  bool exit = false;  ///< closed because its province is exited (plan)
  std::string phase;  ///< the plan's phase ("2025-07..2025-12"); "" = a list
};

struct NoticeTargetsResult {
  std::string source;                        ///< "close" (a list) or "plan"
  std::string plan_id;                       ///< the plan's id (source "plan")
  Month data_last;                           ///< last event month (today's bases are those active then)
  std::vector<std::string> closed_sites;     ///< names, in order of closure
  std::vector<NoticeClosure> closures;       ///< by month, then site
  std::vector<AffectedLocality> localities;  ///< by month, area, name
  double response_hours = 0, mitigation_hours = 0;
};

}  // namespace endstate::service
