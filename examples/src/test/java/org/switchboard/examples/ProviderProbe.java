package org.switchboard.examples;

import java.util.ServiceLoader;

import org.switchboard.spi.ProtocolHandlerProvider;

/** Prints each protocol ServiceLoader finds, with the module its provider comes from: run in a JVM of its own by {@link ModulePathDiscoveryTest}. */
public final class ProviderProbe {

    private ProviderProbe() {
    }

    public static void main(String[] args) {
        for (ProtocolHandlerProvider provider : ServiceLoader.load(ProtocolHandlerProvider.class))
            System.out.println(provider.protocol() + " " + provider.getClass().getModule().getName());
    }
}
