package dev.prism.sdp;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses SDP text (RFC 8866) into a {@link SessionDescription}. Accepts CRLF or LF line ends and
 * ignores blank lines. Total: any input either parses or throws {@link SdpParseException} naming
 * the line and the problem.
 */
public final class SdpParser {
    private SdpParser() {}

    public static SessionDescription parse(String text) {
        if (text == null) throw new SdpParseException("no SDP text");
        return new Run().parse(text);
    }

    /** Parser state for one document. */
    private static final class Run {
        private Origin origin;
        private String sessionName;
        private final List<SdpLine> extraLines = new ArrayList<>();
        private Connection connection;
        private final List<String> bandwidths = new ArrayList<>();
        private String timing;
        private final List<Group> groups = new ArrayList<>();
        private boolean iceLite;
        private String iceUfrag;
        private String icePwd;
        private final List<Fingerprint> fingerprints = new ArrayList<>();
        private Setup setup;
        private final List<Attribute> otherAttributes = new ArrayList<>();
        private final List<MediaDescription> media = new ArrayList<>();
        private MediaDescription.Builder current;
        private boolean mediaConnectionSeen;
        private boolean versionSeen;

        SessionDescription parse(String text) {
            int lineNo = 0;
            int pos = 0;
            int n = text.length();
            while (pos < n || (pos == n && lineNo == 0)) {
                int nl = text.indexOf('\n', pos);
                int end = nl < 0 ? n : nl;
                lineNo++;
                String line = text.substring(pos, end > pos && text.charAt(end - 1) == '\r' ? end - 1 : end);
                pos = nl < 0 ? n + 1 : nl + 1;
                if (line.isEmpty()) continue;
                try {
                    line(line);
                } catch (SdpParseException e) {
                    throw e.atLine(lineNo);
                }
            }
            if (!versionSeen) throw new SdpParseException(0, "no v= line");
            finishMedia();
            if (origin == null) throw new SdpParseException(0, "no o= line");
            if (sessionName == null) throw new SdpParseException(0, "no s= line");
            if (timing == null) throw new SdpParseException(0, "no t= line");
            return new SessionDescription(origin, sessionName, extraLines, connection, bandwidths, timing, groups,
                    iceLite, iceUfrag, icePwd, fingerprints, setup, otherAttributes, media);
        }

        private void line(String line) {
            if (line.length() < 2 || line.charAt(1) != '=') throw new SdpParseException("not a <type>=<value> line");
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (c == '\r' || c == 0) throw new SdpParseException("control character in line");
            }
            char type = line.charAt(0);
            String value = line.substring(2);
            if (!versionSeen) {
                if (type != 'v') throw new SdpParseException("the first line must be v=0");
                if (!value.equals("0")) throw new SdpParseException("unsupported SDP version '" + value + "'");
                versionSeen = true;
                return;
            }
            if (type == 'm') {
                startMedia(value);
            } else if (current != null) {
                mediaLine(type, value);
            } else {
                sessionLine(type, value);
            }
        }

        private void sessionLine(char type, String value) {
            switch (type) {
                case 'v' -> throw new SdpParseException("duplicate v= line");
                case 'o' -> {
                    if (origin != null) throw new SdpParseException("duplicate o= line");
                    origin = Origin.parse(value);
                }
                case 's' -> {
                    if (sessionName != null) throw new SdpParseException("duplicate s= line");
                    sessionName = value;
                }
                case 't' -> {
                    if (timing != null) throw new SdpParseException("more than one t= line is not supported");
                    timing = value;
                }
                case 'c' -> {
                    if (connection != null) throw new SdpParseException("duplicate c= line");
                    connection = Connection.parse(value);
                }
                case 'b' -> bandwidths.add(value);
                case 'i', 'u', 'e', 'p', 'r', 'z', 'k' -> extraLines.add(new SdpLine(type, value));
                case 'a' -> sessionAttribute(value);
                default -> throw new SdpParseException("unknown line type '" + type + "='");
            }
        }

        private void sessionAttribute(String text) {
            String[] nv = nameValue(text);
            String name = nv[0];
            String value = nv[1];
            switch (name) {
                case "group" -> groups.add(Group.parse(value(name, value)));
                case "ice-lite" -> {
                    flag(name, value);
                    iceLite = true;
                }
                case "ice-ufrag" -> {
                    if (iceUfrag != null) throw duplicate(name);
                    iceUfrag = value(name, value);
                }
                case "ice-pwd" -> {
                    if (icePwd != null) throw duplicate(name);
                    icePwd = value(name, value);
                }
                case "fingerprint" -> fingerprints.add(Fingerprint.parse(value(name, value)));
                case "setup" -> {
                    if (setup != null) throw duplicate(name);
                    setup = Setup.parse(value(name, value));
                }
                default -> otherAttributes.add(new Attribute(name, value));
            }
        }

        private void startMedia(String value) {
            finishMedia();
            List<String> t = SdpValues.tokens(value);
            if (t.isEmpty()) throw new SdpParseException("m= line has no media type");
            if (t.size() < 2) throw new SdpParseException("m= line has no port");
            if (t.size() < 3) throw new SdpParseException("m= line has no proto");
            if (t.size() < 4) throw new SdpParseException("m= line has no formats");
            String portText = t.get(1);
            int count = 0;
            int slash = portText.indexOf('/');
            if (slash >= 0) {
                count = SdpValues.parseInt(portText.substring(slash + 1), 1, 65535, "m= port count");
                portText = portText.substring(0, slash);
            }
            int port = SdpValues.parseInt(portText, 0, 65535, "m= port");
            current = MediaDescription.builder(t.get(0), port, t.get(2)).portCount(count).formats(t.subList(3, t.size()));
            mediaConnectionSeen = false;
        }

        private void finishMedia() {
            if (current != null) media.add(current.build());
            current = null;
        }

        private void mediaLine(char type, String value) {
            switch (type) {
                case 'c' -> {
                    if (mediaConnectionSeen) throw new SdpParseException("duplicate c= line in a media section");
                    mediaConnectionSeen = true;
                    current.connection(Connection.parse(value));
                }
                case 'b' -> current.bandwidth(value);
                case 'i', 'k' -> current.extraLine(new SdpLine(type, value));
                case 'a' -> MediaAttributeParser.apply(current, value);
                case 'v', 'o', 's', 't', 'u', 'e', 'p', 'r', 'z' ->
                        throw new SdpParseException(type + "= line is not allowed in a media section");
                default -> throw new SdpParseException("unknown line type '" + type + "='");
            }
        }
    }

    /** Splits {@code name[:value]}; value null for a flag. */
    static String[] nameValue(String text) {
        int colon = text.indexOf(':');
        String name = colon < 0 ? text : text.substring(0, colon);
        if (name.isEmpty()) throw new SdpParseException("a= line has no attribute name");
        return new String[] {name, colon < 0 ? null : text.substring(colon + 1)};
    }

    static String value(String name, String value) {
        if (value == null || value.isEmpty()) throw new SdpParseException("a=" + name + " has no value");
        return value;
    }

    static void flag(String name, String value) {
        if (value != null) throw new SdpParseException("a=" + name + " takes no value");
    }

    static SdpParseException duplicate(String name) {
        return new SdpParseException("duplicate a=" + name);
    }
}
