/** Every e2e test drives real nx processes; give each one room (the whole suite stays within minutes). */
jest.setTimeout(240_000);
