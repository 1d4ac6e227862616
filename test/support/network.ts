/**
 * The test suite's network model (jest `setupFiles`): the harness defaults to the realistic model (docs/harness.md);
 * behaviour tests only need speed, so the suite opts into the fast one unless HARNESS_NETWORK says otherwise. Tests of
 * time behaviour pass `network: 'realistic'` (or their own figures) to their harness.
 */
process.env.HARNESS_NETWORK ??= 'fast';
