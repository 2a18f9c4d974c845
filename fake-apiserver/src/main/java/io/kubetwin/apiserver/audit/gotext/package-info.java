/**
 * Go's text conventions that audit output must reproduce byte for byte: {@code strconv.Quote}
 * (legacy log lines, validation messages), {@code encoding/json} string escaping (events, EventLists,
 * validation messages that print values as JSON) and Go's map-key ordering. Pure and thread-safe.
 */
package io.kubetwin.apiserver.audit.gotext;
