package org.switchboard.probe;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import org.switchboard.probe.internal.Bytes;
import org.switchboard.probe.internal.Checklist;
import org.switchboard.probe.internal.JsonReport;
import org.switchboard.probe.internal.JunitXmlReport;
import org.switchboard.probe.internal.TextTable;
import org.switchboard.probe.internal.Tokens;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code switchboard-probe}: runs the tester's checklist for {@code 101 Switching Protocols} and the
 * U, W, H and SB rules of Switchboard's RULES.md against any HTTP/1.1 server — and with
 * {@code --extended-connect} the C rules of RFC 8441 extended CONNECT over prior-knowledge HTTP/2 —
 * each check named by its rule id. The first contact (a connect and one plain {@code GET}, bounded by
 * {@code --warm-up}) lets a cold server warm up before the first check's {@code --timeout} starts. Only the target named on the command line is contacted (its name resolved once, no
 * redirect followed); every check is bounded by {@code --timeout} and in bytes read.
 *
 * <p>Exit status: {@value #PASSED} when no check failed, {@value #FAILED} when one did,
 * {@value #USAGE} for a usage error or a target that cannot be reached on first contact.
 */
@Command(name = "switchboard-probe", sortOptions = false,
    description = "Checks a server's HTTP/1.1 upgrades (101 Switching Protocols), and RFC 8441 extended CONNECT over HTTP/2, against Switchboard's rules (U, W, H, SB, C ids).",
    footer = "Exit status: 0 nothing failed, 1 a check failed, 2 usage error or target unreachable.")
public final class Probe implements Callable<Integer> {

    /** Exit status: every check passed or was skipped. */
    public static final int PASSED = 0;
    /** Exit status: at least one check failed. */
    public static final int FAILED = 1;
    /** Exit status: usage error, or the target unreachable on first contact. */
    public static final int USAGE = 2;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "URL", description = "the server: http://HOST[:PORT][/PATH]; the generic checks and h2c use PATH")
    String url;

    @Option(names = "--websocket", paramLabel = "PATH", description = "a WebSocket endpoint (the W checks); any endpoint will do")
    String websocketPath;

    @Option(names = "--required", paramLabel = "PATH", description = "a path that requires an upgrade: 426 otherwise (U8, SB3)")
    String requiredPath;

    @Option(names = "--h2c", description = "the server upgrades to h2c at the URL's path (H checks)")
    boolean h2c;

    @Option(names = "--extended-connect", description = "the server takes RFC 8441 extended CONNECT over prior-knowledge HTTP/2 on the same port (C checks)")
    boolean extendedConnect;

    @Option(names = "--upgrade", paramLabel = "TOKEN=PATH", description = "another protocol the server switches to on PATH, e.g. relay/1=/relay; repeatable")
    List<String> upgrades = new ArrayList<>();

    @Option(names = "--origin", paramLabel = "URL", description = "an Origin the WebSocket endpoint must refuse with 403 (W5)")
    String origin;

    @Option(names = "--json", paramLabel = "FILE", description = "also write the results as JSON")
    Path json;

    @Option(names = "--junit", paramLabel = "FILE", description = "also write the results as JUnit XML")
    Path junit;

    @Option(names = "--timeout", paramLabel = "S", description = "seconds each check may take, connect to last byte (default ${DEFAULT-VALUE})")
    double timeoutSeconds = 5;

    @Option(names = "--warm-up", paramLabel = "S",
        description = "seconds the first contact may take: a connect and one plain GET, unreported, before the checks (default ${DEFAULT-VALUE}; 0: connect only)")
    double warmUpSeconds = 30;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "print the options and exit")
    boolean help;

    private PrintStream out = System.out;
    private PrintStream err = System.err;

    /**
     * Runs the probe, printing to the standard streams.
     *
     * @param args the command line, as {@code java -jar switchboard-probe.jar} takes it
     * @return the exit status: {@value #PASSED}, {@value #FAILED} or {@value #USAGE}
     */
    public static int run(String... args) {
        return run(System.out, System.err, args);
    }

    /**
     * Runs the probe.
     *
     * @param out  where the table (and {@code --help}) is printed
     * @param err  where usage errors and an unreachable target are reported, one line each
     * @param args the command line, as {@code java -jar switchboard-probe.jar} takes it
     * @return the exit status: {@value #PASSED}, {@value #FAILED} or {@value #USAGE}
     */
    public static int run(PrintStream out, PrintStream err, String... args) {
        Probe probe = new Probe();
        probe.out = out;
        probe.err = err;
        return new CommandLine(probe)
            .setOut(new PrintWriter(out, true, StandardCharsets.UTF_8))
            .setErr(new PrintWriter(err, true, StandardCharsets.UTF_8))
            .execute(args);
    }

    /**
     * The jar's entry point: {@link #run(String...)}, then exits with its status.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /**
     * Runs every check against the target the options describe (picocli calls it).
     *
     * @return the exit status
     */
    @Override
    public Integer call() {
        Target target = target();
        try {
            Checklist.firstContact(target, Duration.ofMillis(Math.round(warmUpSeconds * 1000)));
        } catch (IOException e) {
            err.println("switchboard-probe: cannot reach " + target.address().getAddress().getHostAddress() + ":"
                + target.address().getPort() + ": " + Bytes.oneLine(e.getMessage(), 200));
            return USAGE;
        }
        List<CheckResult> results = new ArrayList<>();
        for (Check check : Checklist.checks(target))
            results.add(CheckResult.of(check, check.run(target)));
        TextTable.print(out, url, results);
        try {
            if (json != null)
                JsonReport.write(json, url, results);
            if (junit != null)
                JunitXmlReport.write(junit, url, results);
        } catch (IOException e) {
            err.println("switchboard-probe: " + Bytes.oneLine(e.getMessage(), 200));
            return USAGE;
        }
        return results.stream().anyMatch(r -> r.result() == Result.FAIL) ? FAILED : PASSED;
    }

    /** The command line as a {@link Target}, or a {@link ParameterException} (exit {@value #USAGE}) saying what is wrong. */
    private Target target() {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw usage("not a URL: " + e.getMessage());
        }
        if (!"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null)
            throw usage("URL must be http://HOST[:PORT][/PATH] (upgrades are probed over cleartext HTTP/1.1): " + url);
        if (uri.getRawUserInfo() != null || uri.getRawFragment() != null)
            throw usage("URL must have no user info and no fragment: " + url);
        if (!(timeoutSeconds > 0 && timeoutSeconds <= 600))
            throw usage("--timeout must be more than 0 and at most 600 seconds");
        if (!(warmUpSeconds >= 0 && warmUpSeconds <= 600))
            throw usage("--warm-up must be at least 0 and at most 600 seconds");
        int port = uri.getPort() < 0 ? 80 : uri.getPort();
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (uri.getRawQuery() != null)
            path += "?" + uri.getRawQuery();
        InetAddress address;
        try {
            address = InetAddress.getByName(uri.getHost());
        } catch (UnknownHostException e) {
            throw usage("cannot resolve " + uri.getHost());
        }
        List<Target.Upgrade> parsed = new ArrayList<>();
        for (String upgrade : upgrades) {
            int equals = upgrade.indexOf('=');
            if (equals < 0 || !Tokens.isProtocol(upgrade.substring(0, equals)) || !upgrade.startsWith("/", equals + 1))
                throw usage("--upgrade takes TOKEN=PATH (a protocol token, optionally /version, and a path starting with /): " + upgrade);
            parsed.add(new Target.Upgrade(upgrade.substring(0, equals), upgrade.substring(equals + 1)));
        }
        if (origin != null && origin.chars().anyMatch(c -> c <= ' ' || c >= 0x7F))
            throw usage("--origin takes an origin such as https://app.example.com, without spaces or control characters");
        return new Target(uri, new InetSocketAddress(address, port), uri.getRawAuthority(), path,
            Optional.ofNullable(checkPath("--websocket", websocketPath)), Optional.ofNullable(checkPath("--required", requiredPath)),
            h2c, extendedConnect, parsed, Optional.ofNullable(origin), Duration.ofMillis(Math.round(timeoutSeconds * 1000)));
    }

    private String checkPath(String option, String path) {
        if (path != null && (!path.startsWith("/") || path.chars().anyMatch(c -> c <= ' ' || c >= 0x7F)))
            throw usage(option + " takes a path starting with / and no spaces: " + path);
        return path;
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
