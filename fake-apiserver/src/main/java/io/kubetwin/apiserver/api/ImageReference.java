package io.kubetwin.apiserver.api;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A container image reference parsed as the container runtime parses it (github.com/distribution/reference:
 * {@code ParseNormalizedNamed}, which the kubelet and containerd use): the registry is the part before the first
 * {@code /} only when that part has a {@code .} or a {@code :}, is {@code localhost}, or has upper-case letters;
 * otherwise the image is on Docker Hub ({@code docker.io}, with {@code library/} for one-component names). Tag and
 * digest are split off the full grammar's match, so {@code myregistry.io@evil/app} or
 * {@code myregistry.io:443.evil.com/app} are not references at all, and {@code myregistry.io.evil.com/app} is on
 * registry {@code myregistry.io.evil.com}. Pure and thread-safe; reusable by any policy that decides on images.
 *
 * @param domain the registry host and optional port as written ({@code docker.io} for Docker Hub)
 * @param path the repository path, e.g. {@code library/nginx}
 * @param tag the tag, or empty
 * @param digest the digest ({@code sha256:...}), or empty
 */
public record ImageReference(String domain, String path, String tag, String digest) {
    /** Docker Hub's registry name after normalisation. */
    public static final String DOCKER_HUB = "docker.io";

    private static final String ALNUM = "[a-z0-9]+";
    private static final String SEPARATOR = "(?:[._]|__|[-]+)";
    private static final String PATH_COMPONENT = ALNUM + "(?:" + SEPARATOR + ALNUM + ")*";
    private static final String DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private static final String HOST =
            "(?:" + DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*|\\[(?:[a-fA-F0-9:]+)\\])";
    private static final String DOMAIN = HOST + "(?::[0-9]+)?";
    private static final String NAME = "(?:" + DOMAIN + "/)?" + PATH_COMPONENT + "(?:/" + PATH_COMPONENT + ")*";
    private static final String TAG = "[\\w][\\w.-]{0,127}";
    private static final String DIGEST = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
    private static final Pattern REFERENCE =
            Pattern.compile("^(" + NAME + ")(?::(" + TAG + "))?(?:@(" + DIGEST + "))?$");
    private static final Pattern ANCHORED_DOMAIN = Pattern.compile("^" + DOMAIN + "$");
    private static final Pattern HEX64 = Pattern.compile("^[a-f0-9]{64}$");
    private static final int NAME_TOTAL_LENGTH_MAX = 255;

    /**
     * Parses {@code reference} with ParseNormalizedNamed.
     *
     * @throws IllegalArgumentException with the library's error text ({@code invalid reference format}, ...)
     */
    public static ImageReference parse(String reference) {
        if (HEX64.matcher(reference).matches()) {
            throw new IllegalArgumentException(
                    "invalid repository name (" + reference + "), cannot specify 64-byte hexadecimal strings");
        }
        String domain;
        String remainder;
        int slash = reference.indexOf('/');
        String first = slash < 0 ? "" : reference.substring(0, slash);
        if (slash < 0
                || (!first.contains(".")
                        && !first.contains(":")
                        && !first.equals("localhost")
                        && first.toLowerCase(Locale.ROOT).equals(first))) {
            domain = DOCKER_HUB;
            remainder = reference;
        } else {
            domain = first;
            remainder = reference.substring(slash + 1);
        }
        if (domain.equals("index.docker.io")) {
            domain = DOCKER_HUB;
        }
        if (domain.equals(DOCKER_HUB) && !remainder.contains("/")) {
            remainder = "library/" + remainder;
        }
        String remoteName = remainder;
        int tagSep = remoteName.indexOf(':');
        if (tagSep > -1) {
            remoteName = remoteName.substring(0, tagSep);
        }
        if (!remoteName.toLowerCase(Locale.ROOT).equals(remoteName)) {
            throw new IllegalArgumentException(
                    "invalid reference format: repository name (" + remoteName + ") must be lowercase");
        }
        return parseFull(domain + "/" + remainder);
    }

    /** reference.Parse over the normalised string. */
    private static ImageReference parseFull(String s) {
        Matcher m = REFERENCE.matcher(s);
        if (!m.matches()) {
            if (s.isEmpty()) {
                throw new IllegalArgumentException("repository name must have at least one component");
            }
            if (REFERENCE.matcher(s.toLowerCase(Locale.ROOT)).matches()) {
                throw new IllegalArgumentException("repository name must be lowercase");
            }
            throw new IllegalArgumentException("invalid reference format");
        }
        String name = m.group(1);
        if (name.length() > NAME_TOTAL_LENGTH_MAX) {
            throw new IllegalArgumentException(
                    "repository name must not be more than " + NAME_TOTAL_LENGTH_MAX + " characters");
        }
        String digest = m.group(3) == null ? "" : m.group(3);
        if (!digest.isEmpty()) {
            checkDigest(digest);
        }
        int slash = name.indexOf('/');
        String domain = name.substring(0, slash);
        if (!ANCHORED_DOMAIN.matcher(domain).matches()) {
            throw new IllegalArgumentException("invalid reference format");
        }
        return new ImageReference(domain, name.substring(slash + 1), m.group(2) == null ? "" : m.group(2), digest);
    }

    /** go-digest's Validate for the algorithms it knows. */
    private static void checkDigest(String digest) {
        int colon = digest.indexOf(':');
        String algorithm = digest.substring(0, colon);
        int length =
                switch (algorithm) {
                    case "sha256" -> 64;
                    case "sha384" -> 96;
                    case "sha512" -> 128;
                    default -> -1;
                };
        if (length < 0) {
            throw new IllegalArgumentException("unsupported digest algorithm");
        }
        String hex = digest.substring(colon + 1);
        if (hex.length() != length) {
            throw new IllegalArgumentException("invalid checksum digest length");
        }
        if (!hex.equals(hex.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("invalid checksum digest format");
        }
    }

    /** The registry host without its port, lower-cased (DNS names are case-insensitive). */
    public String host() {
        String d = domain.toLowerCase(Locale.ROOT);
        if (d.startsWith("[")) {
            return d.substring(0, d.indexOf(']') + 1);
        }
        int colon = d.lastIndexOf(':');
        return colon < 0 ? d : d.substring(0, colon);
    }

    /** The port written after the registry host, if any. */
    public Optional<Integer> port() {
        int close = domain.lastIndexOf(']');
        int colon = domain.lastIndexOf(':');
        return colon > close ? Optional.of(Integer.parseInt(domain.substring(colon + 1))) : Optional.empty();
    }

    /** {@code domain/path}, as the runtime names the repository. */
    public String name() {
        return domain + "/" + path;
    }

    /** Whether the image is pinned by digest (the runtime then pulls by digest, whatever the tag). */
    public boolean pinned() {
        return !digest.isEmpty();
    }

    /** The fully qualified reference: {@code domain/path[:tag][@digest]}. */
    @Override
    public String toString() {
        return name() + (tag.isEmpty() ? "" : ":" + tag) + (digest.isEmpty() ? "" : "@" + digest);
    }
}
