#include "endstate/core/domain.hpp"

#include "endstate/core/strings.hpp"

namespace endstate {

std::string_view to_string(ViolenceType t) {
  switch (t) {
    case ViolenceType::kStateBased:
      return "state_based";
    case ViolenceType::kNonState:
      return "non_state";
    case ViolenceType::kOneSided:
      return "one_sided";
    case ViolenceType::kRiots:
      return "riots";
    case ViolenceType::kProtests:
      return "protests";
    case ViolenceType::kRemote:
      return "remote_violence";
    case ViolenceType::kStrategic:
      return "strategic";
    case ViolenceType::kOther:
      return "other";
  }
  return "other";
}

std::optional<ViolenceType> parse_violence_type(std::string_view s) {
  const std::string v = to_lower(trim(s));
  if (v == "state_based" || v == "state-based" || v == "1") return ViolenceType::kStateBased;
  if (v == "non_state" || v == "non-state" || v == "2") return ViolenceType::kNonState;
  if (v == "one_sided" || v == "one-sided" || v == "3" || v == "vac" || v == "violence against civilians" ||
      v == "violence_against_civilians") {
    return ViolenceType::kOneSided;
  }
  if (v == "riots") return ViolenceType::kRiots;
  if (v == "protests") return ViolenceType::kProtests;
  if (v == "remote_violence" || v == "explosions/remote violence") return ViolenceType::kRemote;
  if (v == "strategic" || v == "strategic developments") return ViolenceType::kStrategic;
  if (v == "other") return ViolenceType::kOther;
  return std::nullopt;
}

}  // namespace endstate
