/** The key pairs every test stack is started with: the default one and a second owner. */
export const DEFAULT_KEY = { accessKeyId: "test", secretAccessKey: "test" };
export const OTHER_KEY = { accessKeyId: "AKIAOTHEROWNER000000", secretAccessKey: "other-secret-key" };

export const TEST_CREDENTIALS = JSON.stringify([
  { ...DEFAULT_KEY, ownerId: "owner-test", displayName: "test" },
  { ...OTHER_KEY, ownerId: "owner-other", displayName: "other" },
]);
