/** `1 file`, `2 files`, `1,234 calls`: the count with the noun in the right number (`many` defaults to `one` + "s"). */
export function counted(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}
