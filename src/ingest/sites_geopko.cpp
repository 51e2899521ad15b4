// Mission sites and deployments: Geo-PKO v2.0 map-level, Geo-PKO v2.3
// location-year, and a generic sites CSV.
//
// Reference: Cil, Fjelde, Hultman & Nilsson (2020), "Mapping blue helmets:
// introducing the Geocoded Peacekeeping Operations (Geo-PKO) dataset", JPR
// 57(2); Geo-PKO codebooks v2.0 (one row per location, source map and month)
// and v2.3 (one row per location and year). docs/data-formats.md, "Sites".
//
// The version is detected from the header: v2.0 has `Source` and `No.troops`,
// v2.3 has `NoTroops`.
//
// v2.0: period_start = period_end = year-month; source = "geopko-2.0 " +
// Source; troops = No.troops; police = FP_No (when numeric, else 0) +
// UNPOL..dummy.; observers = UNMO..dummy.; hq = HQ; notes = comments.
// v2.3: period = January..December of `year`; source "geopko-2.3"; troops =
// NoTroops; police = UNPOL; observers = UNMO; hq = hq; aviation = Av;
// medical = Med.
// In both, a troop count the source gives as "unknown" or NA is stored as 0
// with a note saying so (the site was there; its size was not reported): the
// MONUC/MONUSCO files have two such rows each (Bangui 2001, Mbuji-Mayi 2014).
//
// Site key = mission | location | lat (%.4f) | lon (%.4f), with the location
// name repaired. Location, country and admin names and the comments are
// repaired when double-encoded (the v2.0 file writes "Ã‰quateur" and
// "KasaÃ¯-Oriental" for "Équateur" and "Kasaï-Oriental").
//
// Site kind. Geo-PKO's HQ code is 3 = mission headquarters (only Kinshasa in
// the MONUC/MONUSCO files), 2 = sector headquarters (Bunia, Goma, Bukavu,
// Kisangani, Kalemie, ...; one comment reads "HQ 2 coded Sector HQ"), 1 = the
// headquarters of a contingent or brigade (Mavivi, Beni: the comment explains
// "the status of the HQ should be similar to the status of a 'TCC HQ'", e.g.
// the Force Intervention Brigade). A contingent HQ is a troop base, so it
// gets no kind of its own. In order: hq >= 3 -> "hq"; hq == 2 ->
// "sector_hq"; LO = 1 (liaison office) -> "liaison"; troops > 0 (including
// contingent HQs) -> "company_base"; police > 0 -> "police_post"; else
// "site".
//
// Generic sites CSV: site_id (or key), name, latitude, longitude, kind,
// mission, period (YYYY-MM, or YYYY for January..December), troops, police,
// observers, civilians, hq, aviation, medical; optional country, admin1,
// admin2, source (default "csv"), notes. Required: site_id or key, latitude,
// longitude, period. An empty kind is derived as above.

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "detail/row_checks.hpp"
#include "endstate/core/csv.hpp"
#include "endstate/core/error.hpp"
#include "endstate/core/strings.hpp"
#include "endstate/core/utf8.hpp"
#include "endstate/ingest/readers.hpp"

namespace endstate::ingest {

namespace {

using detail::Col;
using detail::field_at;
using detail::Header;

bool fail(Reject& r, std::string_view field, std::string reason) {
  r.field.assign(field);
  r.reason = std::move(reason);
  return false;
}

std::string_view site_kind(int hq, bool liaison, std::int64_t troops, std::int64_t police) {
  if (hq >= 3) return "hq";
  if (hq == 2) return "sector_hq";
  if (liaison) return "liaison";
  if (troops > 0) return "company_base";
  if (police > 0) return "police_post";
  return "site";
}

/// Copies a name, trimmed and repaired when double-encoded; missing spellings become "".
void assign_name(std::string& out, std::string_view text) {
  const std::string_view t = trim(text);
  if (is_missing(t)) {
    out.clear();
    return;
  }
  out = repair_double_utf8(t);
}

bool take_required_text(std::string_view text, std::string_view field, std::string& out, Reject& r) {
  assign_name(out, text);
  if (out.empty()) return fail(r, field, std::string(field) + " is missing");
  return true;
}

bool parse_year(std::string_view text, std::string_view field, int& year, Reject& r) {
  const auto y = parse_int64(text);
  if (!y || *y < 1000 || *y > 9999) return fail(r, field, "'" + std::string(trim(text)) + "' is not a year");
  year = static_cast<int>(*y);
  return detail::check_year(year, field, r);
}

/// A troop count that may be "unknown"/NA: 0 with a note, or a reject for anything else that is not a count.
bool parse_troops(std::string_view text, std::string_view field, std::int64_t& out, std::string& notes, Reject& r) {
  const std::string_view t = trim(text);
  if (is_missing(t) || iequals(t, "unknown")) {
    out = 0;
    if (!notes.empty()) notes += "; ";
    notes +=
        std::string(field) + " not reported (" + (t.empty() ? std::string("empty") : std::string(t)) + ") in source";
    return true;
  }
  return detail::parse_count(t, field, "troops", out, r);
}

std::vector<std::string> missing_of(const Header& h, std::initializer_list<const char*> names) {
  std::vector<std::string> missing;
  for (const char* n : names) {
    if (h.find(n) < 0) missing.emplace_back(n);
  }
  return missing;
}

void read_geopko_v20(CsvReader& csv, const Header& h, SiteSink& sink) {
  const auto missing =
      missing_of(h, {"Source", "Mission", "year", "month", "location", "latitude", "longitude", "No.troops"});
  if (!missing.empty()) {
    detail::throw_missing_columns(csv.path(), missing, "Geo-PKO v2.0 (map-level)",
                                  "use the unmodified Geo-PKO v2.0 CSV, or --source csv with a generic sites file");
  }
  const Col source = h.find("Source"), mission = h.find("Mission"), year = h.find("year"), month = h.find("month");
  const Col location = h.find("location"), country = h.find("country"), lat = h.find("latitude");
  const Col lon = h.find("longitude"), troops = h.find("No.troops"), fp_no = h.find("FP_No");
  const Col unpol = h.find("UNPOL..dummy."), unmo = h.find("UNMO..dummy."), hq = h.find("HQ"), lo = h.find("LO");
  const Col comments = h.find("comments"), adm1 = h.find("ADM1_name"), adm2 = h.find("ADM2_name");

  Site s;
  Deployment d;
  detail::for_each_row(csv, h, sink, [&](const std::vector<std::string_view>& f, std::int64_t line, Reject& r) {
    if (!take_required_text(field_at(f, mission), "Mission", s.mission, r)) return false;
    if (!take_required_text(field_at(f, location), "location", s.name, r)) return false;
    int y = 0;
    if (!parse_year(field_at(f, year), "year", y, r)) return false;
    const auto m = parse_int64(field_at(f, month));
    const auto period = m ? Month::from_ym(y, static_cast<int>(*m)) : std::nullopt;
    if (!period) return fail(r, "month", "'" + std::string(trim(field_at(f, month))) + "' is not a month (1-12)");
    if (!detail::parse_lat_lon(field_at(f, lat), field_at(f, lon), "latitude", "longitude", s.where, r)) {
      return false;
    }
    assign_name(d.notes, field_at(f, comments));
    if (!parse_troops(field_at(f, troops), "No.troops", d.troops, d.notes, r)) return false;
    const auto formed = parse_int64(field_at(f, fp_no));
    std::int64_t unpol_present = 0;
    if (!detail::parse_count_or(field_at(f, unpol), "UNPOL..dummy.", "police", 0, unpol_present, r)) return false;
    d.police = (formed && *formed > 0 ? *formed : 0) + unpol_present;
    if (!detail::parse_count_or(field_at(f, unmo), "UNMO..dummy.", "observers", 0, d.observers, r)) return false;
    if (!detail::parse_int_or(field_at(f, hq), "HQ", 0, d.hq, r)) return false;
    int liaison = 0;
    if (!detail::parse_int_or(field_at(f, lo), "LO", 0, liaison, r)) return false;

    assign_name(s.country, field_at(f, country));
    assign_name(s.admin1, field_at(f, adm1));
    assign_name(s.admin2, field_at(f, adm2));
    s.key = detail::site_key(s.mission, s.name, s.where);
    s.kind = site_kind(d.hq, liaison == 1, d.troops, d.police);

    d.site_key = s.key;
    d.period_start = d.period_end = *period;
    const std::string_view map_no = trim(field_at(f, source));
    d.source = "geopko-2.0";
    if (!is_missing(map_no)) {
      d.source += ' ';
      d.source.append(map_no);
    }
    d.civilians = 0;
    d.aviation = 0;
    d.medical = 0;
    sink.on_site(std::move(s), std::move(d), line);
    return true;
  });
}

void read_geopko_v23(CsvReader& csv, const Header& h, SiteSink& sink) {
  const auto missing = missing_of(h, {"mission", "year", "location", "latitude", "longitude", "NoTroops"});
  if (!missing.empty()) {
    detail::throw_missing_columns(csv.path(), missing, "Geo-PKO v2.3 (location-year)",
                                  "use the unmodified Geo-PKO v2.3 CSV, or --source csv with a generic sites file");
  }
  const Col mission = h.find("mission"), year = h.find("year"), country = h.find("country");
  const Col location = h.find("location"), lat = h.find("latitude"), lon = h.find("longitude");
  const Col troops = h.find("NoTroops"), hq = h.find("hq"), unpol = h.find("UNPOL"), med = h.find("Med");
  const Col av = h.find("Av"), unmo = h.find("UNMO");

  Site s;
  Deployment d;
  detail::for_each_row(csv, h, sink, [&](const std::vector<std::string_view>& f, std::int64_t line, Reject& r) {
    if (!take_required_text(field_at(f, mission), "mission", s.mission, r)) return false;
    if (!take_required_text(field_at(f, location), "location", s.name, r)) return false;
    int y = 0;
    if (!parse_year(field_at(f, year), "year", y, r)) return false;
    if (!detail::parse_lat_lon(field_at(f, lat), field_at(f, lon), "latitude", "longitude", s.where, r)) {
      return false;
    }
    d.notes.clear();
    if (!parse_troops(field_at(f, troops), "NoTroops", d.troops, d.notes, r)) return false;
    if (!detail::parse_count_or(field_at(f, unpol), "UNPOL", "police", 0, d.police, r)) return false;
    if (!detail::parse_count_or(field_at(f, unmo), "UNMO", "observers", 0, d.observers, r)) return false;
    if (!detail::parse_int_or(field_at(f, hq), "hq", 0, d.hq, r)) return false;
    if (!detail::parse_int_or(field_at(f, av), "Av", 0, d.aviation, r)) return false;
    if (!detail::parse_int_or(field_at(f, med), "Med", 0, d.medical, r)) return false;

    assign_name(s.country, field_at(f, country));
    s.admin1.clear();
    s.admin2.clear();
    s.key = detail::site_key(s.mission, s.name, s.where);
    s.kind = site_kind(d.hq, false, d.troops, d.police);

    d.site_key = s.key;
    d.period_start = *Month::from_ym(y, 1);
    d.period_end = *Month::from_ym(y, 12);
    d.source = "geopko-2.3";
    d.civilians = 0;
    sink.on_site(std::move(s), std::move(d), line);
    return true;
  });
}

void read_sites_csv(CsvReader& csv, const Header& h, SiteSink& sink) {
  const Col key = h.find_any({"site_id", "key"});
  const Col lat = h.find("latitude"), lon = h.find("longitude"), period = h.find("period");
  std::vector<std::string> missing;
  if (key < 0) missing.emplace_back("site_id (or key)");
  if (lat < 0) missing.emplace_back("latitude");
  if (lon < 0) missing.emplace_back("longitude");
  if (period < 0) missing.emplace_back("period");
  if (!missing.empty()) {
    detail::throw_missing_columns(csv.path(), missing, "a sites CSV",
                                  "see docs/data-formats.md (Generic sites CSV) for the columns");
  }
  const std::string key_name = h.names[static_cast<std::size_t>(key)];
  const Col name = h.find("name"), kind = h.find("kind"), mission = h.find("mission"), troops = h.find("troops");
  const Col police = h.find("police"), observers = h.find("observers"), civilians = h.find("civilians");
  const Col hq = h.find("hq"), aviation = h.find("aviation"), medical = h.find("medical");
  const Col country = h.find("country"), admin1 = h.find("admin1"), admin2 = h.find("admin2");
  const Col source = h.find("source"), notes = h.find("notes");

  Site s;
  Deployment d;
  detail::for_each_row(csv, h, sink, [&](const std::vector<std::string_view>& f, std::int64_t line, Reject& r) {
    if (!detail::take_id(field_at(f, key), key_name, s.key, r)) return false;
    const std::string_view p = trim(field_at(f, period));
    if (p.size() == 4) {
      int y = 0;
      if (!parse_year(p, "period", y, r)) return false;
      d.period_start = *Month::from_ym(y, 1);
      d.period_end = *Month::from_ym(y, 12);
    } else {
      const auto m = Month::parse(p);
      if (!m) return fail(r, "period", "'" + std::string(p) + "' is not a period (expected YYYY-MM or YYYY)");
      if (!detail::check_year(m->year(), "period", r)) return false;
      d.period_start = d.period_end = *m;
    }
    if (!detail::parse_lat_lon(field_at(f, lat), field_at(f, lon), "latitude", "longitude", s.where, r)) {
      return false;
    }
    if (!detail::parse_count_or(field_at(f, troops), "troops", "troops", 0, d.troops, r)) return false;
    if (!detail::parse_count_or(field_at(f, police), "police", "police", 0, d.police, r)) return false;
    if (!detail::parse_count_or(field_at(f, observers), "observers", "observers", 0, d.observers, r)) return false;
    if (!detail::parse_count_or(field_at(f, civilians), "civilians", "civilians", 0, d.civilians, r)) return false;
    if (!detail::parse_int_or(field_at(f, hq), "hq", 0, d.hq, r)) return false;
    if (!detail::parse_int_or(field_at(f, aviation), "aviation", 0, d.aviation, r)) return false;
    if (!detail::parse_int_or(field_at(f, medical), "medical", 0, d.medical, r)) return false;

    assign_name(s.name, field_at(f, name));
    if (s.name.empty()) s.name = s.key;
    assign_name(s.mission, field_at(f, mission));
    assign_name(s.country, field_at(f, country));
    assign_name(s.admin1, field_at(f, admin1));
    assign_name(s.admin2, field_at(f, admin2));
    detail::assign_text(s.kind, field_at(f, kind));
    if (s.kind.empty()) s.kind = site_kind(d.hq, false, d.troops, d.police);
    assign_name(d.notes, field_at(f, notes));
    detail::assign_text(d.source, field_at(f, source));
    if (d.source.empty()) d.source = "csv";
    d.site_key = s.key;
    sink.on_site(std::move(s), std::move(d), line);
    return true;
  });
}

}  // namespace

void read_sites(const std::string& path, SiteSource source, SiteSink& sink) {
  read_sites(InputStream::open(path), source, sink);
}

void read_sites(InputStream in, SiteSource source, SiteSink& sink) {
  const std::string path = in.name();
  if (detail::starts_like_json(in)) {
    throw Error(ErrorCategory::kBadInput, "this file is JSON, not CSV; sites are read from CSV", {path, 1, ""});
  }
  CsvReader csv(std::move(in));
  const Header h = detail::read_header(csv);
  if (source == SiteSource::kCsv) {
    read_sites_csv(csv, h, sink);
    return;
  }
  if (h.find("No.troops") >= 0 && h.find("Source") >= 0) {
    read_geopko_v20(csv, h, sink);
  } else if (h.find("NoTroops") >= 0) {
    read_geopko_v23(csv, h, sink);
  } else {
    throw Error(ErrorCategory::kBadInput,
                "not a Geo-PKO header: expected v2.0 map-level columns (Source, Mission, year, month, location, "
                "latitude, longitude, No.troops, ...) or v2.3 location-year columns (mission, year, location, "
                "latitude, longitude, NoTroops, ...); for another layout use --source csv",
                {path, 1, ""});
  }
}

}  // namespace endstate::ingest
