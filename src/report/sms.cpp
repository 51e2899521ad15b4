// SMS encodings and splitting (report/sms.hpp).
#include "endstate/report/sms.hpp"

#include <cstdint>

#include "endstate/core/error.hpp"
#include "endstate/core/utf8.hpp"

namespace endstate::report {

std::string to_string(SmsEncoding e) { return e == SmsEncoding::kGsm7 ? "GSM-7" : "UCS-2"; }

namespace {

/// Code points of valid UTF-8.
std::vector<char32_t> decode(const std::string& s) {
  if (!is_valid_utf8(s)) throw bad_input("SMS text is not valid UTF-8");
  std::vector<char32_t> out;
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    int n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    char32_t cp = n == 1 ? c : n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
    for (int k = 1; k < n; ++k)
      cp = (cp << 6) | (static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]) & 0x3F);
    out.push_back(cp);
    i += static_cast<std::size_t>(n);
  }
  return out;
}

std::string encode(const std::vector<char32_t>& cps, std::size_t from, std::size_t to) {
  std::string out;
  for (std::size_t i = from; i < to; ++i) {
    const char32_t c = cps[i];
    if (c < 0x80) {
      out += static_cast<char>(c);
    } else if (c < 0x800) {
      out += static_cast<char>(0xC0 | (c >> 6));
      out += static_cast<char>(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
      out += static_cast<char>(0xE0 | (c >> 12));
      out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (c & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (c >> 18));
      out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (c & 0x3F));
    }
  }
  return out;
}

/// Septets of one character in GSM-7 (1 basic, 2 extension), 0 when none.
int septets(char32_t c) {
  // 3GPP TS 23.038 6.2.1 default alphabet, by code point.
  static const char32_t kBasic[] = {U'@',  U'£', U'$', U'¥', U'è', U'é', U'ù', U'ì', U'ò', U'Ç', U'\n', U'Ø', U'ø',
                                    U'\r', U'Å', U'å', U'Δ', U'_', U'Φ', U'Γ', U'Λ', U'Ω', U'Π', U'Ψ',  U'Σ', U'Θ',
                                    U'Ξ',  U'Æ', U'æ', U'ß', U'É', U' ', U'!', U'"', U'#', U'¤', U'%',  U'&', U'\'',
                                    U'(',  U')', U'*', U'+', U',', U'-', U'.', U'/', U':', U';', U'<',  U'=', U'>',
                                    U'?',  U'¡', U'Ä', U'Ö', U'Ñ', U'Ü', U'§', U'¿', U'ä', U'ö', U'ñ',  U'ü', U'à'};
  static const char32_t kExtension[] = {U'\f', U'^', U'{', U'}', U'\\', U'[', U'~', U']', U'|', U'€'};
  if ((c >= U'0' && c <= U'9') || (c >= U'A' && c <= U'Z') || (c >= U'a' && c <= U'z')) return 1;
  for (char32_t b : kBasic) {
    if (b == c) return 1;
  }
  for (char32_t e : kExtension) {
    if (e == c) return 2;
  }
  return 0;
}

int units(char32_t c, SmsEncoding e) { return e == SmsEncoding::kGsm7 ? septets(c) : (c >= 0x10000 ? 2 : 1); }

int count(const std::vector<char32_t>& cps, std::size_t from, std::size_t to, SmsEncoding e) {
  int n = 0;
  for (std::size_t i = from; i < to; ++i) n += units(cps[i], e);
  return n;
}

}  // namespace

int gsm7_septets(const std::string& utf8) {
  int n = 0;
  for (char32_t c : decode(utf8)) {
    const int s = septets(c);
    if (s == 0) return -1;
    n += s;
  }
  return n;
}

int ucs2_units(const std::string& utf8) {
  int n = 0;
  for (char32_t c : decode(utf8)) n += c >= 0x10000 ? 2 : 1;
  return n;
}

SmsMessage split_sms(const std::string& utf8) {
  // Collapse whitespace.
  std::vector<char32_t> cps;
  for (char32_t c : decode(utf8)) {
    const bool space = c == U' ' || c == U'\n' || c == U'\r' || c == U'\t' || c == U'\f';
    if (space) {
      if (!cps.empty() && cps.back() != U' ') cps.push_back(U' ');
    } else {
      cps.push_back(c);
    }
  }
  while (!cps.empty() && cps.back() == U' ') cps.pop_back();
  SmsMessage m;
  m.encoding = SmsEncoding::kGsm7;
  for (char32_t c : cps) {
    if (septets(c) == 0) m.encoding = SmsEncoding::kUcs2;
  }
  m.limit = m.encoding == SmsEncoding::kGsm7 ? 160 : 70;
  const int total = count(cps, 0, cps.size(), m.encoding);
  if (total <= m.limit) {
    m.parts.push_back({encode(cps, 0, cps.size()), total});
    return m;
  }
  // Split with a prefix "k/n " sized for n parts; grow n until the split fits.
  for (int n = 2;; ++n) {
    const int prefix_max = static_cast<int>(std::to_string(n).size()) * 2 + 2;  // "k/n "
    const int room = m.limit - prefix_max;
    std::vector<std::pair<std::size_t, std::size_t>> spans;
    std::size_t i = 0;
    while (i < cps.size()) {
      std::size_t end = i;
      int used = 0;
      std::size_t last_space = 0;
      bool have_space = false;
      while (end < cps.size() && used + units(cps[end], m.encoding) <= room) {
        used += units(cps[end], m.encoding);
        if (cps[end] == U' ') last_space = end, have_space = true;
        ++end;
      }
      if (end < cps.size() && cps[end] != U' ' && have_space && last_space > i) end = last_space;
      spans.emplace_back(i, end);
      i = end;
      while (i < cps.size() && cps[i] == U' ') ++i;
    }
    if (static_cast<int>(spans.size()) > n) continue;
    const int parts = static_cast<int>(spans.size());
    for (int k = 0; k < parts; ++k) {
      std::size_t from = spans[static_cast<std::size_t>(k)].first, to = spans[static_cast<std::size_t>(k)].second;
      while (to > from && cps[to - 1] == U' ') --to;
      const std::string text = std::to_string(k + 1) + "/" + std::to_string(parts) + " " + encode(cps, from, to);
      const int u = m.encoding == SmsEncoding::kGsm7 ? gsm7_septets(text) : ucs2_units(text);
      m.parts.push_back({text, u});
    }
    return m;
  }
}

}  // namespace endstate::report
