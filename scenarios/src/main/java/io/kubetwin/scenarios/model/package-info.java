/**
 * The suite format: typed records read from YAML with Jackson. A suite declares the server configuration it
 * needs, its actors, the objects applied as admin before the steps, the steps with their expectations, and
 * the cleanup. The format is documented with a complete example in {@code scenarios/README.md}.
 */
package io.kubetwin.scenarios.model;
