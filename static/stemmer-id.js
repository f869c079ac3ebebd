// The Snowball Indonesian stemmer, ported by hand from snowballstemmer 3.1.1 (indonesian_stemmer.py,
// generated from indonesian.sbl by Snowball 3.1.1, and the parts of basestemmer.py it uses) so that the
// search page stems words exactly as the build does. tests/test_stemmer.py checks this port against the
// Python package, word for word, in a real browser.
//
// snowballstemmer is distributed under the BSD-3-Clause licence:
//   Copyright (c) 2001, Dr Martin Porter
//   Copyright (c) 2004,2005, Richard Boulton
//   Copyright (c) 2013, Yoshiki Shibukawa
//   Copyright (c) 2006-2025, Olly Betts
//   All rights reserved.
//   Redistribution and use in source and binary forms, with or without modification, are permitted
//   provided that the following conditions are met:
//   1. Redistributions of source code must retain the above copyright notice, this list of conditions
//      and the following disclaimer.
//   2. Redistributions in binary form must reproduce the above copyright notice, this list of conditions
//      and the following disclaimer in the documentation and/or other materials provided with the
//      distribution.
//   3. Neither the name of the Snowball project nor the names of its contributors may be used to endorse
//      or promote products derived from this software without specific prior written permission.
//   THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS" AND ANY EXPRESS OR
//   IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE IMPLIED WARRANTIES OF MERCHANTABILITY AND
//   FITNESS FOR A PARTICULAR PURPOSE ARE DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT OWNER OR
//   CONTRIBUTORS BE LIABLE FOR ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL
//   DAMAGES (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS OR SERVICES; LOSS OF USE,
//   DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER
//   IN CONTRACT, STRICT LIABILITY, OR TORT (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF
//   THE USE OF THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.
//
// Code points and code units: Python indexes strings by code point, JavaScript by UTF-16 code unit, so a
// character outside the BMP (an emoji, say) is one position in Python and two here. This port works on
// code units anyway, which gives the same result because every letter the algorithm looks for is ASCII:
// counting vowels, comparing with a table entry (any non-ASCII unit sorts after every ASCII letter, as
// any non-ASCII code point does), testing for "k", "r", "y" and so on, and every cut falls next to ASCII
// letters. The one step that moves over an arbitrary character, outVowel ("any non-vowel", in be-C-er),
// steps over a whole surrogate pair, as Python steps over one code point.

// The state of BaseStemmer: the word being stemmed, the cursor, the limits of the region being looked at
// and the slice [bra, ket) that sliceFrom / sliceDel replace. Module-level, as stem() never re-enters.
let current = "";
let cursor = 0;
let limit = 0;
let limitBackward = 0;
let bra = 0;
let ket = 0;
// The Indonesian routines' two integers. prefix: which kind of prefix was removed, 0 none, 1 di-/me-/meng-/
// men-/meny-/mem-/ter-, 2 per-/pe-, 3 ke-/peng-/pen-/peny-/pem-, 4 ber-/be-; measure: vowels left.
let prefix = 0;
let measure = 0;

// Among tables: [string, index of the longest entry that is a prefix (or, backwards, a suffix) of this
// one or -1, result], sorted as Snowball sorts them (backward tables by their reversed strings).
const PARTICLES = [["kah", -1, 1], ["lah", -1, 1], ["pun", -1, 1]];
const POSSESSIVES = [["nya", -1, 1], ["ku", -1, 1], ["mu", -1, 1]];
const SUFFIXES = [["i", -1, 2], ["an", -1, 1]];
const FIRST_ORDER_PREFIXES = [
  ["di", -1, 1], ["ke", -1, 3], ["me", -1, 1], ["mem", 2, 5], ["men", 2, 2],
  ["meng", 4, 1], ["pem", -1, 6], ["pen", -1, 4], ["peng", 7, 3], ["ter", -1, 1],
];
const SECOND_ORDER_PREFIXES = [["be", -1, 2], ["pe", -1, 1]];

// g_vowel: a e i o u (char codes).
function isVowel(c) {
  return c === 97 || c === 101 || c === 105 || c === 111 || c === 117;
}

// BaseStemmer.in_grouping(g_vowel).
function inVowel() {
  if (cursor >= limit || !isVowel(current.charCodeAt(cursor))) return false;
  cursor++;
  return true;
}

// BaseStemmer.out_grouping(g_vowel): step over one character that is not a vowel (a whole code point).
function outVowel() {
  if (cursor >= limit) return false;
  const c = current.charCodeAt(cursor);
  if (isVowel(c)) return false;
  cursor++;
  if (c >= 0xd800 && c <= 0xdbff && cursor < limit) {
    const low = current.charCodeAt(cursor);
    if (low >= 0xdc00 && low <= 0xdfff) cursor++;
  }
  return true;
}

// BaseStemmer.go_out_grouping(g_vowel): move to the next vowel, if there is one.
function goToVowel() {
  while (cursor < limit) {
    if (isVowel(current.charCodeAt(cursor))) return true;
    cursor++;
  }
  return false;
}

// BaseStemmer.eq_s without moving the cursor (no caller needs it moved): s (ASCII) at `at`, before limit.
function eqAt(at, s) {
  return limit - at >= s.length && current.startsWith(s, at);
}

// The character at `at` is `ch` (one ASCII letter).
function charIs(at, ch) {
  return current.charCodeAt(at) === ch.charCodeAt(0);
}

// BaseStemmer.find_among: a binary search of the table for the longest entry at the cursor; on a match
// the cursor moves past it and its result is returned, otherwise 0.
function findAmong(v) {
  let i = 0;
  let j = v.length;
  const c = cursor;
  const l = limit;
  let commonI = 0;
  let commonJ = 0;
  let firstKeyInspected = false;
  for (;;) {
    const k = i + ((j - i) >> 1);
    let diff = 0;
    let common = Math.min(commonI, commonJ);
    const s = v[k][0];
    for (let i2 = common; i2 < s.length; i2++) {
      if (c + common === l) {
        diff = -1;
        break;
      }
      diff = current.charCodeAt(c + common) - s.charCodeAt(i2);
      if (diff !== 0) break;
      common++;
    }
    if (diff < 0) {
      j = k;
      commonJ = common;
    } else {
      i = k;
      commonI = common;
    }
    if (j - i <= 1) {
      if (i > 0 || j === i || firstKeyInspected) break;
      firstKeyInspected = true;
    }
  }
  for (;;) {
    const w = v[i];
    if (commonI >= w[0].length) {
      cursor = c + w[0].length;
      return w[2];
    }
    i = w[1];
    if (i < 0) return 0;
  }
}

// BaseStemmer.find_among_b: the same, backwards from the cursor; on a match the cursor moves before it.
function findAmongB(v) {
  let i = 0;
  let j = v.length;
  const c = cursor;
  const lb = limitBackward;
  let commonI = 0;
  let commonJ = 0;
  let firstKeyInspected = false;
  for (;;) {
    const k = i + ((j - i) >> 1);
    let diff = 0;
    let common = Math.min(commonI, commonJ);
    const s = v[k][0];
    for (let i2 = s.length - 1 - common; i2 >= 0; i2--) {
      if (c - common === lb) {
        diff = -1;
        break;
      }
      diff = current.charCodeAt(c - 1 - common) - s.charCodeAt(i2);
      if (diff !== 0) break;
      common++;
    }
    if (diff < 0) {
      j = k;
      commonJ = common;
    } else {
      i = k;
      commonI = common;
    }
    if (j - i <= 1) {
      if (i > 0 || j === i || firstKeyInspected) break;
      firstKeyInspected = true;
    }
  }
  for (;;) {
    const w = v[i];
    if (commonI >= w[0].length) {
      cursor = c - w[0].length;
      return w[2];
    }
    i = w[1];
    if (i < 0) return 0;
  }
}

// BaseStemmer.slice_from (with replace_s): replace [bra, ket) by s, keeping the cursor and limit in step.
function sliceFrom(s) {
  const adjustment = s.length - (ket - bra);
  current = current.slice(0, bra) + s + current.slice(ket);
  limit += adjustment;
  if (cursor >= ket) cursor += adjustment;
  else if (cursor > bra) cursor = bra;
  ket = bra + s.length;
}

function sliceDel() {
  sliceFrom("");
}

// -kah, -lah, -pun (working backwards from the end).
function removeParticle() {
  ket = cursor;
  if (findAmongB(PARTICLES) === 0) return false;
  bra = cursor;
  sliceDel();
  measure--;
  return true;
}

// -nya, -ku, -mu (backwards).
function removePossessivePronoun() {
  ket = cursor;
  if (findAmongB(POSSESSIVES) === 0) return false;
  bra = cursor;
  sliceDel();
  measure--;
  return true;
}

// -kan, -an, -i (backwards), depending on which prefix was removed.
function removeSuffix() {
  ket = cursor;
  const amongVar = findAmongB(SUFFIXES);
  if (amongVar === 0) return false;
  bra = cursor;
  if (amongVar === 1) {
    // -an: the whole -kan unless prefix is 2 or 3; otherwise just -an, except after a prefix of kind 1.
    if (prefix !== 3 && prefix !== 2 && cursor > limitBackward && charIs(cursor - 1, "k")) {
      cursor--;
      bra = cursor;
    } else if (prefix === 1) {
      return false;
    }
  } else {
    // -i: not after a prefix of kind 3 or 4, and not in -si.
    if (prefix > 2) return false;
    if (cursor > limitBackward && charIs(cursor - 1, "s")) return false;
  }
  sliceDel();
  measure--;
  return true;
}

// di-, ke-, me-, meng-, meny- (to s-), men-, mem- (to p- before a vowel), peng-, peny- (to s-), pen-,
// pem- (to p- before a vowel), ter-.
function removeFirstOrderPrefix() {
  bra = cursor;
  const amongVar = findAmong(FIRST_ORDER_PREFIXES);
  if (amongVar === 0) return false;
  ket = cursor;
  switch (amongVar) {
    case 1: // di-, me-, meng-, ter-
      sliceDel();
      prefix = 1;
      break;
    case 2: // men-, or meny- before a vowel
    case 4: // pen-, or peny- before a vowel
      if (cursor < limit && charIs(cursor, "y") && cursor + 1 < limit && isVowel(current.charCodeAt(cursor + 1))) {
        cursor++;
        ket = cursor;
        sliceFrom("s");
      } else {
        sliceDel();
      }
      prefix = amongVar === 2 ? 1 : 3;
      break;
    case 3: // ke-, peng-
      sliceDel();
      prefix = 3;
      break;
    default: // 5: mem-, 6: pem-
      prefix = amongVar === 5 ? 1 : 3;
      if (cursor < limit && isVowel(current.charCodeAt(cursor))) sliceFrom("p");
      else sliceDel();
  }
  measure--;
  return true;
}

// be- (ber-, bel- of belajar, or be- before consonant + "er") and pe- (per-, pel- of pelajar, pe-).
function removeSecondOrderPrefix() {
  bra = cursor;
  const amongVar = findAmong(SECOND_ORDER_PREFIXES);
  if (amongVar === 0) return false;
  if (cursor < limit && charIs(cursor, "r")) {
    ket = cursor + 1; // per-, ber-
    if (amongVar === 1) prefix = 2;
  } else if (cursor < limit && charIs(cursor, "l") && eqAt(cursor + 1, "ajar")) {
    ket = cursor + 1; // pel-, bel- of pelajar, belajar (pelajar leaves prefix as it was)
  } else {
    ket = cursor; // pe-, or be- before a consonant and "er"
    if (amongVar === 1) prefix = 2;
    else if (!outVowel() || !eqAt(cursor, "er")) return false;
  }
  if (amongVar === 2) prefix = 4;
  measure--;
  sliceDel();
  return true;
}

// The stem of one lowercase word.
export function stem(word) {
  current = word;
  cursor = 0;
  limit = word.length;
  limitBackward = 0;
  bra = 0;
  ket = limit;

  // measure: the number of vowels; words with two or fewer are left alone.
  measure = 0;
  while (goToVowel()) {
    cursor++;
    measure++;
  }
  cursor = 0;
  if (measure <= 2) return current;
  prefix = 0;

  // Backwards from the end: a particle, then a possessive pronoun.
  limitBackward = cursor;
  cursor = limit;
  removeParticle();
  cursor = limit;
  if (measure <= 2) return current;
  removePossessivePronoun();
  cursor = limitBackward;
  if (measure <= 2) return current;

  const start = cursor;
  if (removeFirstOrderPrefix()) {
    // A first-order prefix went: then a suffix, and only if one went, a second-order prefix.
    const afterPrefix = cursor;
    if (measure > 2) {
      limitBackward = cursor;
      cursor = limit;
      if (removeSuffix()) {
        cursor = afterPrefix;
        if (measure > 2) removeSecondOrderPrefix();
      }
    }
  } else {
    // No first-order prefix: perhaps a second-order prefix, then perhaps a suffix.
    cursor = start;
    removeSecondOrderPrefix();
    cursor = start;
    if (measure > 2) {
      limitBackward = cursor;
      cursor = limit;
      removeSuffix();
    }
  }
  return current;
}
