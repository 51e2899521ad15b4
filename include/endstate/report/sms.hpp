#pragma once
// SMS-length messages. A text is sent in the GSM 7-bit default alphabet
// (3GPP TS 23.038, section 6.2.1: the basic character set, with the
// extension table's characters ^ { } \ [ ~ ] | EUR and form feed counting two
// septets each) when every character has a GSM-7 code, else in UCS-2 (UTF-16
// code units; characters outside the Basic Multilingual Plane count two).
// A single SMS carries 160 septets or 70 UCS-2 units. A longer text is split
// at word boundaries into separate messages, each prefixed "k/n " and each
// within that limit on its own (no concatenation header is assumed, so
// every part arrives readable on any phone).

#include <string>
#include <vector>

namespace endstate::report {

enum class SmsEncoding { kGsm7, kUcs2 };

/// "GSM-7" or "UCS-2".
std::string to_string(SmsEncoding e);

/// Septets of `utf8` in GSM-7, or -1 when a character has no GSM-7 code.
int gsm7_septets(const std::string& utf8);
/// UTF-16 code units of `utf8`.
int ucs2_units(const std::string& utf8);

struct SmsPart {
  std::string text;
  int units = 0;  ///< septets (GSM-7) or UTF-16 units (UCS-2)
};

struct SmsMessage {
  SmsEncoding encoding = SmsEncoding::kGsm7;
  int limit = 160;  ///< per part: 160 (GSM-7) or 70 (UCS-2)
  std::vector<SmsPart> parts;
};

/// Splits `utf8` (whitespace runs collapsed to one space) into parts within
/// the limit of its encoding; a word longer than a part is cut between
/// characters. Error(kBadInput) for text that is not UTF-8.
SmsMessage split_sms(const std::string& utf8);

}  // namespace endstate::report
