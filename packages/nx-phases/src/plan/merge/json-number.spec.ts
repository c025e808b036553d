import { JsonNumber, numberLiteralProblem } from './json-number';

describe('numbers in merged JSON', () => {
  it.each(['0', '-0', '7', '10', '-12', '1.5', '0.25', '1e5', '1E5', '1e+5', '1e-5', '-1.5E-10', '12345678901234567890', '1.0', '0.10000000000000000555'])(
    'accepts the literal %s',
    (literal) => {
      expect(numberLiteralProblem(literal)).toBeUndefined();
    },
  );

  it.each(['01', '-01', '00', '1.', '.5', '+1', '1e', '1e+', '1.e5', '0x10', '--1', '-', '', ' 1', '1 ', '1_000', 'Infinity', 'NaN', '1ee5', '1.2.3', '1e5.5', 'a1', '1a'])(
    'refuses %j as not a JSON number',
    (literal) => {
      expect(numberLiteralProblem(literal)).toBe(`${JSON.stringify(literal)} is not a JSON number`);
    },
  );

  it('refuses a literal that reads as Infinity, and accepts the largest finite one', () => {
    expect(numberLiteralProblem('1e400')).toBe('the number 1e400 is too large for JSON tools (it reads as Infinity); write it as a string');
    expect(numberLiteralProblem('-1E999')).toBe('the number -1E999 is too large for JSON tools (it reads as Infinity); write it as a string');
    expect(numberLiteralProblem('1.7976931348623157e308')).toBeUndefined();
    expect(numberLiteralProblem('1e-400')).toBeUndefined();
  });

  it('shows a number as the literal the phase wrote', () => {
    const number = new JsonNumber('3.0');
    expect(String(number)).toBe('3.0');
    expect(`${number}`).toBe('3.0');
    expect(number.literal).toBe('3.0');
  });
});
