/**
 * Staff search ignores case and accents. PGlite has no `unaccent`, and `lower()` depends on the
 * database's locale, so both the database (a generated column) and this code fold text with one
 * explicit table: the same letters map to the same plain letters on either side.
 */
const FOLD_FROM = "ABCDEFGHIJKLMNOPQRSTUVWXYZÁÀÂÄÃÉÈÊËÍÌÎÏÓÒÔÖÕÚÙÛÜÑÇáàâäãéèêëíìîïóòôöõúùûüñç";
const FOLD_TO = "abcdefghijklmnopqrstuvwxyzaaaaaeeeeiiiiooooouuuuncaaaaaeeeeiiiiooooouuuunc";

const fold = new Map([...FOLD_FROM].map((letter, i) => [letter, FOLD_TO[i]!]));

/** Longest search accepted, in characters. */
export const MAX_SEARCH_LENGTH = 100;

/** The SQL expression that folds `expression` exactly as `searchKey` does. */
export const searchKeySql = (expression: string) =>
  `translate(normalize(${expression}, NFC), '${FOLD_FROM}', '${FOLD_TO}')`;

/** "  María José " → "maria jose". */
export const searchKey = (text: string) =>
  [...text.normalize("NFC")].map((letter) => fold.get(letter) ?? letter).join("");

/** The words of a search, folded: a profile matches when its key contains every one. */
export const searchWords = (search: string) => searchKey(search).split(/\s+/).filter(Boolean);

/** A LIKE pattern matching `word` anywhere, with LIKE's own wildcards taken literally. */
export const containsPattern = (word: string) => `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
