// Readiness along a path (see detail/readiness.hpp).
#include "simulate/detail/readiness.hpp"

#include <algorithm>
#include <cmath>

namespace endstate::simulate::detail {

using benchmarks::Readiness;
using benchmarks::Statistic;
using benchmarks::Status;

ProvinceRules::ProvinceRules(const benchmarks::Framework& fw, const Province& p)
    : fw_(&fw), I_(fw.indicators.size()), S_(fw.stakeholders.size()), B_(fw.benchmarks.size()) {
  for (const auto& ind : fw.indicators) {
    const int w = std::max(1, ind.derivation.window_months);
    window_.push_back(w);
    W_ = std::max<std::size_t>(W_, static_cast<std::size_t>(w));
    stat_.push_back(ind.derivation.statistic);
    double scale = 1.0;
    if (ind.derivation.per_population) {
      scale = p.population && *p.population > 0 ? *ind.derivation.per_population / *p.population : benchmarks::kMissing;
    }
    scale_.push_back(scale);
    lower_.push_back(ind.direction == benchmarks::Direction::kLowerIsBetter ? 1 : 0);
  }
  for (const auto& s : fw.stakeholders) {
    for (const auto& ind : fw.indicators) {
      const auto it = s.thresholds.find(ind.id);
      threshold_.push_back(it == s.thresholds.end() ? benchmarks::kMissing : it->second.for_area(p.id));
      sustain_.push_back(s.sustain_for(ind.id));
    }
  }
  for (const auto& b : fw.benchmarks) {
    std::vector<std::size_t> ix;
    for (const auto& id : b.indicators) ix.push_back(*fw.indicator_index(id));
    bix_.push_back(std::move(ix));
    if (b.kind == benchmarks::BenchmarkKind::kContextual) ctx_total_ += b.weight;
  }
}

ProvinceRules::State ProvinceRules::start() const {
  State s;
  s.raw.assign(I_ * W_, 0.0);
  s.streak.assign(S_ * I_, 0);
  s.ready.assign(S_, Readiness::kNoData);
  s.value.assign(I_, 0.0);
  s.status.assign(S_ * I_, Status::kNoData);
  return s;
}

void ProvinceRules::push(State& st, const double* raw) const {
  const std::size_t slot = st.months % W_;
  ++st.months;
  std::vector<double>& value = st.value;
  for (std::size_t i = 0; i < I_; ++i) {
    st.raw[i * W_ + slot] = raw[i];
    const auto w = static_cast<std::size_t>(window_[i]);
    const Statistic stat = stat_[i];
    double v = benchmarks::kMissing;
    if (stat == Statistic::kLast || w == 1) {
      v = raw[i];
      if (stat == Statistic::kMonthsWithAny && !benchmarks::is_missing(v)) v = v > 0 ? 1.0 : 0.0;
    } else if (st.months >= w) {
      double acc = stat == Statistic::kMax ? -HUGE_VAL : stat == Statistic::kMin ? HUGE_VAL : 0.0;
      bool missing = false;
      for (std::size_t k = 0; k < w && !missing; ++k) {
        const double x = st.raw[i * W_ + (st.months - 1 - k) % W_];
        if (benchmarks::is_missing(x)) {
          missing = true;
        } else if (stat == Statistic::kMax) {
          acc = std::max(acc, x);
        } else if (stat == Statistic::kMin) {
          acc = std::min(acc, x);
        } else if (stat == Statistic::kMonthsWithAny) {
          acc += x > 0 ? 1.0 : 0.0;
        } else {
          acc += x;
        }
      }
      if (!missing) v = stat == Statistic::kMean ? acc / static_cast<double>(w) : acc;
    }
    value[i] = v * scale_[i];  // NaN scale (no population) makes it missing
  }
  // Indicator statuses per stakeholder, then the roll-up (benchmarks/assess.cpp).
  std::vector<Status>& status = st.status;
  for (std::size_t s = 0; s < S_; ++s) {
    for (std::size_t i = 0; i < I_; ++i) {
      const std::size_t k = s * I_ + i;
      const double x = value[i];
      if (benchmarks::is_missing(x)) {
        st.streak[k] = 0;
        status[k] = Status::kNoData;
      } else if (lower_[i] ? x <= threshold_[k] : x >= threshold_[k]) {
        ++st.streak[k];
        status[k] = st.streak[k] >= sustain_[k] ? Status::kMet : Status::kNotMet;
      } else {
        st.streak[k] = 0;
        status[k] = Status::kNotMet;
      }
    }
  }
  for (std::size_t s = 0; s < S_; ++s) {
    bool core_not_met = false, core_no_data = false;
    double ctx_met = 0, ctx_no_data = 0;
    for (std::size_t b = 0; b < B_; ++b) {
      bool any_not = false, any_none = false;
      for (std::size_t i : bix_[b]) {
        any_not |= status[s * I_ + i] == Status::kNotMet;
        any_none |= status[s * I_ + i] == Status::kNoData;
      }
      const Status bs = any_not ? Status::kNotMet : any_none ? Status::kNoData : Status::kMet;
      const auto& def = fw_->benchmarks[b];
      if (def.kind == benchmarks::BenchmarkKind::kCore) {
        core_not_met |= bs == Status::kNotMet;
        core_no_data |= bs == Status::kNoData;
      } else if (bs == Status::kMet) {
        ctx_met += def.weight;
      } else if (bs == Status::kNoData) {
        ctx_no_data += def.weight;
      }
    }
    const double share = ctx_total_ > 0 ? ctx_met / ctx_total_ : 1.0;
    const double share_if_data = ctx_total_ > 0 ? (ctx_met + ctx_no_data) / ctx_total_ : 1.0;
    constexpr double kEps = 1e-12;
    if (core_not_met || share_if_data + kEps < fw_->contextual_share) {
      st.ready[s] = Readiness::kNotReady;
    } else if (core_no_data || share + kEps < fw_->contextual_share) {
      st.ready[s] = Readiness::kNoData;
    } else {
      st.ready[s] = Readiness::kReady;
    }
  }
}

}  // namespace endstate::simulate::detail
