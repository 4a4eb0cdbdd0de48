import { dictionary } from "@zxcvbn-ts/language-common";

/**
 * Refuses passwords that guessers try first (ASVS V6.2.4): the ~49,000 most common passwords of
 * @zxcvbn-ts/language-common, a few Vietnamese favourites, and anything that is a single character
 * repeated, a short block repeated, or a run of consecutive characters ("1234567890", "abcdefghij").
 * Server-side only: the list is about 0.5 MB.
 */
const COMMON = new Set<string>([
  ...dictionary["passwords-common"],
  // Vietnamese habits the English-centred list misses.
  "matkhau",
  "matkhau123",
  "matkhau1234",
  "matkhau12345",
  "matkhaucuatoi",
  "anhyeuem",
  "anhyeuem123",
  "emyeuanh",
  "emyeuanh123",
  "vietnam",
  "vietnam123",
  "vietnam1234",
  "hanoi123456",
  "saigon123456",
  "dichvucong",
  "dichvucong123",
]);

export type PasswordProblem = "common" | "repetitive" | "sequential";

/** Why a password is too easy to guess, or null when none of the checks find it. */
export function passwordProblem(password: string): PasswordProblem | null {
  const lower = password.toLowerCase();
  if (COMMON.has(lower) || COMMON.has(lower.replace(/[\d!@#$%^&*._-]+$/, ""))) return "common";
  if (isRepetitive(lower)) return "repetitive";
  if (isSequential(lower)) return "sequential";
  return null;
}

/** One block (up to four characters) repeated to fill the whole password: "aaaaaaaaaa", "abcabcabca". */
function isRepetitive(s: string): boolean {
  if (new Set(s).size <= 2) return true;
  for (let size = 1; size <= 4; size += 1) {
    const block = s.slice(0, size);
    if (block.repeat(Math.ceil(s.length / size)).slice(0, s.length) === s) return true;
  }
  return false;
}

/** Every character one more (or one less) than the one before: "1234567890", "9876543210", "abcdefghij". */
function isSequential(s: string): boolean {
  const steps = new Set<number>();
  for (let i = 1; i < s.length; i += 1) {
    const step =
      (s.charCodeAt(i) - s.charCodeAt(i - 1) + 10) % 10 === 1 && /\d/.test(s[i] ?? "") && /\d/.test(s[i - 1] ?? "") ? 1 : s.charCodeAt(i) - s.charCodeAt(i - 1);
    steps.add(step);
    if (steps.size > 1) return false;
  }
  const only = [...steps][0];
  return only === 1 || only === -1 || only === 0;
}
