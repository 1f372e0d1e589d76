/**
 * Whether a name on a form is the name a registry has: the same characters, spaces around them
 * aside. NFC so that the same characters typed on different keyboards compare equal.
 */
export function sameName(a: string, b: string): boolean {
  return a.trim().normalize('NFC') === b.trim().normalize('NFC');
}
