package io.kubetwin.apiserver.registry.table;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** metav1.TableColumnDefinition, in its wire field order. */
@JsonPropertyOrder({"name", "type", "format", "description", "priority"})
public record Column(String name, String type, String format, String description, int priority) {}
