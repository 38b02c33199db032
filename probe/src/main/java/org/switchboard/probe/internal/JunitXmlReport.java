package org.switchboard.probe.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

import org.switchboard.probe.CheckResult;
import org.switchboard.probe.Result;

/**
 * {@code --junit FILE}: the JUnit XML that CI systems read — one {@code testsuite} named
 * {@code switchboard-probe}, one {@code testcase} a check ({@code classname} the target,
 * {@code name} id and name), a {@code failure} or {@code skipped} element carrying the detail.
 */
public final class JunitXmlReport {

    private JunitXmlReport() {}

    /**
     * Writes the report.
     *
     * @param file    where; replaced if it exists
     * @param target  the URL probed: the {@code classname} of every test case
     * @param results every check's result, in order
     * @throws IOException if the file cannot be written
     */
    public static void write(Path file, String target, List<CheckResult> results) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(out, "UTF-8");
            xml.writeStartDocument("UTF-8", "1.0");
            xml.writeStartElement("testsuite");
            xml.writeAttribute("name", "switchboard-probe");
            xml.writeAttribute("tests", Integer.toString(results.size()));
            xml.writeAttribute("failures", Long.toString(TextTable.count(results, Result.FAIL)));
            xml.writeAttribute("skipped", Long.toString(TextTable.count(results, Result.SKIP)));
            xml.writeAttribute("errors", "0");
            for (CheckResult result : results) {
                xml.writeStartElement("testcase");
                xml.writeAttribute("classname", target);
                xml.writeAttribute("name", result.id() + " " + result.name());
                if (result.result() == Result.FAIL) {
                    xml.writeStartElement("failure");
                    xml.writeAttribute("message", result.detail());
                    xml.writeCharacters(result.detail());
                    xml.writeEndElement();
                } else if (result.result() == Result.SKIP) {
                    xml.writeStartElement("skipped");
                    xml.writeAttribute("message", result.detail());
                    xml.writeEndElement();
                }
                xml.writeEndElement();
            }
            xml.writeEndElement();
            xml.writeEndDocument();
            xml.close();
        } catch (XMLStreamException e) {
            throw new IOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
