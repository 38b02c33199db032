package org.switchboard.guice;

import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

import com.google.inject.AbstractModule;
import com.google.inject.Binder;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.binder.LinkedBindingBuilder;
import com.google.inject.multibindings.Multibinder;
import org.switchboard.spi.ProtocolHandler;
import org.switchboard.Switchboard;

/**
 * Guice bindings for Switchboard: every {@link ProtocolHandler} bound into the set with
 * {@link #addHandler(Binder)} — from any module, in binding order, which is the server's priority
 * order (SB1) — makes up the {@link Switchboard} this module provides as a singleton.
 *
 * <pre>{@code
 * Injector injector = Guice.createInjector(
 *     new SwitchboardModule(builder -> builder.route("/chat", UpgradePolicy.required("websocket"))),
 *     new AbstractModule() {
 *         protected void configure() {
 *             SwitchboardModule.addHandler(binder()).to(MyProtocolHandler.class);
 *         }
 *     });
 * Switchboard switchboard = injector.getInstance(Switchboard.class);
 * }</pre>
 *
 * Guice is an optional dependency of Switchboard: only users of this package need it on their classpath.
 */
public final class SwitchboardModule extends AbstractModule {

    private final Consumer<Switchboard.Builder> settings;

    /** Bound handlers only, everything else at its default. */
    public SwitchboardModule() {
        this(builder -> { });
    }

    /**
     * @param settings applied to the builder after the bound handlers are registered: routes,
     *                 order, limits, metrics, {@link Switchboard.Builder#discoverHandlers()}
     */
    public SwitchboardModule(Consumer<Switchboard.Builder> settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /**
     * Adds a handler binding to the set Switchboard is built from:
     * {@code SwitchboardModule.addHandler(binder()).to(MyHandler.class)} in any module.
     *
     * @param binder the binder of the module that adds the handler
     * @return the new binding, to complete with {@code to}, {@code toInstance} or {@code toProvider}
     */
    public static LinkedBindingBuilder<ProtocolHandler> addHandler(Binder binder) {
        return Multibinder.newSetBinder(binder, ProtocolHandler.class).addBinding();
    }

    @Override
    protected void configure() {
        // Declares the set, so that an application with no handler bound yet still injects.
        Multibinder.newSetBinder(binder(), ProtocolHandler.class);
    }

    @Provides
    @Singleton
    Switchboard switchboard(Set<ProtocolHandler> handlers) {
        Switchboard.Builder builder = Switchboard.builder().handlers(handlers);
        settings.accept(builder);
        return builder.build();
    }
}
