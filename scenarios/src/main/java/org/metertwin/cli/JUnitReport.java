package org.metertwin.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * The results of {@code exec}'s suite as a JUnit XML report, the format CI systems (Jenkins, GitLab, GitHub
 * actions' test reporters) display: one {@code testsuite}, a {@code testcase} per program with its console
 * output as {@code system-out}/{@code system-err}, and a {@code failure} for a non-zero exit with the reason.
 * Written with the JDK's StAX writer.
 */
final class JUnitReport {
    private JUnitReport() {
    }

    static void write(Path file, String machine, List<ExecSuite.Result> results) throws IOException {
        long failures = results.stream().filter(r -> r.exitStatus() != 0).count();
        double seconds = results.stream().mapToLong(ExecSuite.Result::wallMillis).sum() / 1000.0;
        try (OutputStream os = Files.newOutputStream(file)) {
            XMLStreamWriter w = XMLOutputFactory.newFactory().createXMLStreamWriter(os, "UTF-8");
            w.writeStartDocument("UTF-8", "1.0");
            w.writeCharacters("\n");
            w.writeStartElement("testsuite");
            w.writeAttribute("name", "metertwin exec");
            w.writeAttribute("tests", Integer.toString(results.size()));
            w.writeAttribute("failures", Long.toString(failures));
            w.writeAttribute("errors", "0");
            w.writeAttribute("skipped", "0");
            w.writeAttribute("time", seconds(seconds));
            w.writeCharacters("\n");
            for (ExecSuite.Result r : results) {
                w.writeCharacters("  ");
                w.writeStartElement("testcase");
                w.writeAttribute("name", r.name());
                w.writeAttribute("classname", machine);
                w.writeAttribute("time", seconds(r.wallMillis() / 1000.0));
                if (r.exitStatus() != 0) {
                    String reason = "exit status " + r.exitStatus() + (r.message().isEmpty() ? "" : ": " + r.message());
                    w.writeStartElement("failure");
                    w.writeAttribute("message", xmlText(reason));
                    w.writeAttribute("type", "exit status " + r.exitStatus());
                    w.writeCharacters(xmlText(reason));
                    w.writeEndElement();
                }
                w.writeStartElement("system-out");
                w.writeCharacters(xmlText(r.out()));
                w.writeEndElement();
                if (!r.err().isEmpty()) {
                    w.writeStartElement("system-err");
                    w.writeCharacters(xmlText(r.err()));
                    w.writeEndElement();
                }
                w.writeEndElement();
                w.writeCharacters("\n");
            }
            w.writeEndElement();
            w.writeCharacters("\n");
            w.writeEndDocument();
            w.close();
        } catch (XMLStreamException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private static String seconds(double s) {
        return String.format(Locale.ROOT, "%.3f", s);
    }

    /**
     * XML 1.0 cannot carry most control characters, even escaped; a guest may print any byte. Each such
     * character is written as a visible {@code \xNN} so the report stays well-formed and nothing is dropped.
     */
    static String xmlText(String s) {
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> {
            boolean allowed = cp == '\t' || cp == '\n' || cp == '\r' || (cp >= 0x20 && cp <= 0xD7FF)
                    || (cp >= 0xE000 && cp <= 0xFFFD) || cp >= 0x10000;
            if (allowed) {
                b.appendCodePoint(cp);
            } else {
                b.append(String.format(Locale.ROOT, "\\x%02x", cp));
            }
        });
        return b.toString();
    }
}
