package io.kubetwin.scenarios.target;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubetwin.scenarios.model.ServerConfig;
import java.nio.file.Path;

/**
 * What a suite asks of a cluster: its server configuration (with the audit policy resolved to JSON) and a
 * directory the target may use for its files.
 */
public record ClusterSpec(String suite, ServerConfig server, JsonNode auditPolicy, Path workDir) {}
