package org.switchboard.probe.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.switchboard.probe.Check;
import org.switchboard.probe.Target;
import org.switchboard.probe.Verdict;
import org.switchboard.testing.RawResponse;
import org.switchboard.testing.RawUpgradeClient;

import static org.switchboard.probe.internal.ResponseHeads.proof;

/** The HTTP/1.1 Upgrade rules (U1–U12) and Switchboard's SB rules seen from outside, for any protocol. */
final class UpgradeChecks {

    /** How long a switched connection must stay open, unprovoked, to count as open. */
    static final Duration QUIET = Duration.ofMillis(1000);

    private UpgradeChecks() {}

    static List<Check> generic() {
        List<Check> checks = new ArrayList<>();
        checks.add(new RuleCheck("U3", "an offer of an unknown protocol is never switched to", (target, connections) -> {
            RawResponse head = connections.exchange(RawRequest.get(target, target.path())
                .header("Connection", "Upgrade").header("Upgrade", Offers.UNKNOWN));
            return head.status() == 101
                ? Verdict.fail("switched to a protocol nobody speaks: " + ResponseHeads.quoted(head))
                : Verdict.pass("answered " + head.status());
        }));
        checks.add(new RuleCheck("U7", "an unknown offer is served as if Upgrade were absent (the plain GET's status, never 5xx)", (target, connections) -> {
            RawResponse plain = connections.exchange(RawRequest.get(target, target.path()));
            RawResponse offered = connections.exchange(RawRequest.get(target, target.path())
                .header("Connection", "Upgrade").header("Upgrade", Offers.UNKNOWN));
            if (offered.status() >= 500 || offered.status() == 101)
                return Verdict.fail(proof(offered));
            return offered.status() == plain.status()
                ? Verdict.pass("both answered " + plain.status())
                : Verdict.fail("a plain GET gets " + plain.status() + ", with Upgrade: " + Offers.UNKNOWN + " " + proof(offered));
        }));
        checks.add(new RuleCheck("U1", "a malformed Upgrade list (empty and non-token elements) is tolerated: served as the plain GET", (target, connections) -> {
            RawResponse plain = connections.exchange(RawRequest.get(target, target.path()));
            RawResponse odd = connections.exchange(RawRequest.get(target, target.path())
                .header("Connection", "Upgrade").header("Upgrade", " , \"q\", @@/1, /, " + Offers.UNKNOWN + " ,"));
            if (odd.status() >= 500 || odd.status() == 101 || odd.status() != plain.status())
                return Verdict.fail("a plain GET gets " + plain.status() + "; malformed elements must be ignored, " + proof(odd));
            return Verdict.pass("both answered " + plain.status());
        }));
        checks.add(new RuleCheck("U12", "Upgrade advertised on a plain response, if any, lists protocol tokens (MAY)", (target, connections) -> {
            RawResponse plain = connections.exchange(RawRequest.get(target, target.path()));
            List<String> advertised = ResponseHeads.elements(plain, "Upgrade");
            if (advertised.isEmpty())
                return Verdict.pass("answered " + plain.status() + ", advertises nothing (allowed)");
            for (String protocol : advertised)
                if (!Tokens.isProtocol(protocol))
                    return Verdict.fail("advertises a non-token " + Bytes.oneLine(protocol, 80) + ": " + ResponseHeads.quoted(plain));
            return Verdict.pass("advertises " + String.join(", ", advertised));
        }));
        checks.add(offering("U5", "an Upgrade in an HTTP/1.0 request is ignored: no 101", (target, connections, offer) -> {
            RawResponse head = connections.exchange(offer.request(target).version("HTTP/1.0"));
            if (head.status() == 101 || head.status() >= 500)
                return Verdict.fail("HTTP/1.0 offer of " + offer.protocol() + ": " + proof(head));
            return Verdict.pass(offer.protocol() + " over HTTP/1.0 answered " + head.status());
        }));
        checks.add(offering("U6", "an Upgrade without Connection: upgrade is never switched (400 or served normally)", (target, connections, offer) -> {
            RawResponse head = connections.exchange(offer.request(target, "keep-alive"));
            if (head.status() == 101 || head.status() >= 500)
                return Verdict.fail(offer.protocol() + " without Connection: upgrade: " + proof(head));
            return Verdict.pass(offer.protocol() + " without Connection: upgrade answered " + head.status());
        }));
        checks.add(offering("U6", "Connection: keep-alive, Upgrade (a list, as Firefox sends it) counts: 101", (target, connections, offer) -> {
            RawResponse head = connections.exchange(offer.request(target, "keep-alive, Upgrade"));
            String problem = Offers.problemWith101(head, offer.protocol());
            return problem == null ? Verdict.pass(offer.protocol() + " switched") : Verdict.fail(problem);
        }));
        checks.add(new RuleCheck("U8", "a plain GET on the required route → 426 with Upgrade listing protocols, Connection: Upgrade and a text body", (target, connections) -> {
            if (target.requiredPath().isEmpty())
                return Verdict.skip("needs --required PATH");
            RawResponse head = connections.exchange(RawRequest.get(target, target.requiredPath().get()));
            return checkUpgradeRequired(head);
        }));
        checks.add(new RuleCheck("SB3", "an unknown offer on the required route → 426 (no handler accepts, the route requires one)", (target, connections) -> {
            if (target.requiredPath().isEmpty())
                return Verdict.skip("needs --required PATH");
            RawResponse head = connections.exchange(RawRequest.get(target, target.requiredPath().get())
                .header("Connection", "Upgrade").header("Upgrade", Offers.UNKNOWN));
            return checkUpgradeRequired(head);
        }));
        String oversized = oversizedUpgrade();
        checks.add(new RuleCheck("SB5", String.format(java.util.Locale.ROOT, "an oversized Upgrade (300 elements, %,d characters) → 400 or 431, never 5xx or 101", oversized.length()), (target, connections) -> {
            RawResponse head = connections.exchange(RawRequest.get(target, target.path())
                .header("Connection", "Upgrade").header("Upgrade", oversized));
            if (head.status() == 400 || head.status() == 431)
                return Verdict.pass("answered " + head.status() + " " + Bytes.oneLine(head.reason(), 80));
            return Verdict.fail("Switchboard's limits answer 400 or 431 (RFC 9110 leaves the limit to the server); " + proof(head));
        }));
        return checks;
    }

    /** 300 unknown protocols: over Switchboard's default limits of 1,024 characters and 16 elements, under any server's head limit. */
    private static String oversizedUpgrade() {
        StringBuilder upgrade = new StringBuilder();
        for (int i = 0; i < 300; i++)
            upgrade.append(i == 0 ? "" : ", ").append("x-switchboard-probe-").append(i);
        return upgrade.toString();
    }

    /** U2, U4, U9 for each {@code --upgrade TOKEN=PATH}. */
    static List<Check> tokens(Target target) {
        List<Check> checks = new ArrayList<>();
        for (Target.Upgrade upgrade : target.upgrades()) {
            Offers.Offer offer = Offers.token(upgrade);
            String on = upgrade.token() + " on " + upgrade.path();
            checks.add(new RuleCheck("U4", on + ": 101 naming it, Connection: Upgrade, no content; the connection stays open", (t, connections) -> {
                try (RawUpgradeClient client = connections.open()) {
                    client.send(offer.request(t).bytes());
                    RawResponse head = CheckConnections.finalHead(client);
                    String problem = Offers.problemWith101(head, offer.protocol());
                    if (problem != null)
                        return Verdict.fail(problem);
                    if (!!client.closedWithin(QUIET))
                        return Verdict.fail("the connection closed right after the 101: " + ResponseHeads.quoted(head));
                    return Verdict.pass("switched to " + head.header("Upgrade") + ", open after " + QUIET.toMillis() + " ms");
                }
            }));
            checks.add(new RuleCheck("U2", on + ": an unknown first offer is skipped (Upgrade: " + Offers.UNKNOWN + ", " + upgrade.token() + " → 101)", (t, connections) -> {
                RawResponse head = connections.exchange(RawRequest.get(t, upgrade.path())
                    .header("Connection", "Upgrade").header("Upgrade", Offers.UNKNOWN + ", " + upgrade.token()));
                String problem = Offers.problemWith101(head, offer.protocol());
                return problem == null ? Verdict.pass("switched to " + head.header("Upgrade")) : Verdict.fail(problem);
            }));
            checks.add(new RuleCheck("U9", on + " with Expect: 100-continue and a body: 100 Continue, then (the body read, U10) the 101", (t, connections) -> {
                byte[] body = "switchboard-probe".getBytes(StandardCharsets.US_ASCII);
                try (RawUpgradeClient client = connections.open()) {
                    client.send(offer.request(t).header("Content-Length", Integer.toString(body.length)).header("Expect", "100-continue").head());
                    RawResponse first = client.readHead();
                    if (first.status() != 100)
                        return Verdict.fail("no 100 Continue before sending the body: " + proof(first));
                    client.send(body);
                    RawResponse head = CheckConnections.finalHead(client);
                    String problem = Offers.problemWith101(head, offer.protocol());
                    return problem == null ? Verdict.pass("100, then 101 " + head.header("Upgrade")) : Verdict.fail("after the 100 and the body: " + problem);
                }
            }));
        }
        return checks;
    }

    /** A check that needs a protocol the target switches ({@link Offers#any}); {@code body} gets its offer. */
    private static Check offering(String id, String name, OfferBody body) {
        return new RuleCheck(id, name, (target, connections) -> {
            Optional<Offers.Offer> offer = Offers.any(target);
            return offer.isEmpty() ? Verdict.skip(Offers.NOTHING_TO_OFFER) : body.run(target, connections, offer.get());
        });
    }

    @FunctionalInterface
    private interface OfferBody {
        Verdict run(Target target, CheckConnections connections, Offers.Offer offer) throws java.io.IOException;
    }

    /** U8: 426, Upgrade with protocol tokens, Connection: Upgrade, a body. */
    private static Verdict checkUpgradeRequired(RawResponse head) {
        if (head.status() != 426)
            return Verdict.fail("a route that requires an upgrade answers 426; " + proof(head));
        List<String> protocols = ResponseHeads.elements(head, "Upgrade");
        if (protocols.isEmpty() || !protocols.stream().allMatch(Tokens::isProtocol))
            return Verdict.fail("a 426 lists the acceptable protocols in Upgrade: " + ResponseHeads.quoted(head));
        if (!ResponseHeads.has(head, "Connection", "upgrade"))
            return Verdict.fail("Switchboard's 426 carries Connection: Upgrade (U8): " + ResponseHeads.quoted(head));
        String length = head.header("Content-Length");
        if ((length == null || length.equals("0")) && head.header("Transfer-Encoding") == null)
            return Verdict.fail("Switchboard's 426 has a short text body saying what is required (U8): " + ResponseHeads.quoted(head));
        return Verdict.pass("426 with Upgrade: " + String.join(", ", protocols));
    }
}
