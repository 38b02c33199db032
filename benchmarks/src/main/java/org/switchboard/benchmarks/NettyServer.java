package org.switchboard.benchmarks;

import java.net.InetSocketAddress;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.codec.http2.CleartextHttp2ServerUpgradeHandler;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2FrameStream;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2ServerUpgradeCodec;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;

/**
 * Netty 4.1 serving the same endpoints as the Jetty-based targets with Netty's own upgrade
 * machinery: {@code CleartextHttp2ServerUpgradeHandler} + {@code HttpServerUpgradeHandler} for h2c
 * (and prior knowledge), {@code WebSocketServerProtocolHandler} for WebSocket on {@code /echo}, and
 * {@code 200 ok} for everything else. Netty's defaults otherwise (NIO transport, 2 × cores event loops).
 */
final class NettyServer {

    private NettyServer() {
    }

    static ServerUnderTest start(int port) throws InterruptedException {
        EventLoopGroup boss = new NioEventLoopGroup(1);
        EventLoopGroup workers = new NioEventLoopGroup();
        Channel channel = new ServerBootstrap()
            .group(boss, workers)
            .channel(NioServerSocketChannel.class)
            .option(ChannelOption.SO_BACKLOG, 1024)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                    HttpServerCodec http1 = new HttpServerCodec();
                    HttpServerUpgradeHandler upgrade = new HttpServerUpgradeHandler(http1, protocol ->
                        AsciiString.contentEquals(Http2CodecUtil.HTTP_UPGRADE_PROTOCOL_NAME, protocol)
                            ? new Http2ServerUpgradeCodec(Http2FrameCodecBuilder.forServer().build(), new H2Responder())
                            : null);
                    ch.pipeline().addLast(new CleartextHttp2ServerUpgradeHandler(http1, upgrade, new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel priorKnowledge) {
                            priorKnowledge.pipeline().addLast(Http2FrameCodecBuilder.forServer().build(), new H2Responder());
                        }
                    }));
                    // Requests the h2c upgrade handler lets through (no Upgrade, or Upgrade: websocket).
                    ch.pipeline().addLast(new HttpObjectAggregator(65536));
                    ch.pipeline().addLast(new WebSocketServerProtocolHandler("/echo"));
                    ch.pipeline().addLast(new Http1AndWebSocketResponder());
                }
            })
            .bind(new InetSocketAddress("127.0.0.1", port)).sync().channel();
        int bound = ((InetSocketAddress) channel.localAddress()).getPort();
        return new ServerUnderTest() {
            @Override
            public int port() {
                return bound;
            }

            @Override
            public TargetConfiguration configuration() {
                return NettyServer.configuration(channel, workers);
            }

            @Override
            public void close() {
                channel.close().awaitUninterruptibly();
                boss.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).awaitUninterruptibly();
                workers.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).awaitUninterruptibly();
            }
        };
    }

    /**
     * What Netty has of the settings the Jetty targets report (everything else is Netty's own
     * model: event loops instead of a pool, no idle timeout): the JVM, the listen backlog, the
     * headers it does not send.
     */
    static TargetConfiguration configuration(Channel server, EventLoopGroup workers) {
        java.util.SortedMap<String, String> s = TargetConfiguration.jvm();
        s.put("threads.pool", "NioEventLoopGroup");
        s.put("threads.max", Integer.toString(((io.netty.util.concurrent.MultithreadEventExecutorGroup) workers).executorCount() + 1));
        s.put("connector0.acceptQueue", Integer.toString(((io.netty.channel.socket.ServerSocketChannel) server).config().getBacklog()));
        s.put("connector0.host", ((InetSocketAddress) server.localAddress()).getAddress().getHostAddress());
        s.put("connector0.acceptedTcpNoDelay", "true");
        s.put("connector0.http.sendServerVersion", "false");
        s.put("connector0.http.sendDateHeader", "false");
        s.put("connector0.h2c.sendServerVersion", "false");
        s.put("connector0.h2c.sendDateHeader", "false");
        return TargetConfiguration.of(s);
    }

    /** WebSocket echo (frames after the handshake) and {@code 200 ok} for plain HTTP/1.1 requests. */
    private static final class Http1AndWebSocketResponder extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof TextWebSocketFrame text) {
                ctx.writeAndFlush(new TextWebSocketFrame(text.content()));
            } else if (msg instanceof BinaryWebSocketFrame binary) {
                ctx.writeAndFlush(new BinaryWebSocketFrame(binary.content()));
            } else if (msg instanceof FullHttpRequest request) {
                boolean keepAlive = HttpUtil.isKeepAlive(request);
                request.release();
                FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    Unpooled.wrappedBuffer(OkApplication.OK));
                response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain").setInt(HttpHeaderNames.CONTENT_LENGTH, OkApplication.OK.length);
                if (keepAlive)
                    ctx.writeAndFlush(response);
                else
                    ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            } else {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // Load clients reset connections once they have their answer, as they do with Jetty.
            ctx.close();
        }
    }

    /** {@code 200 ok} on every HTTP/2 stream, stream 1 of an h2c upgrade included. */
    private static final class H2Responder extends ChannelDuplexHandler {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof Http2HeadersFrame headers) {
                if (headers.isEndStream())
                    respond(ctx, headers.stream());
            } else if (msg instanceof Http2DataFrame data) {
                boolean end = data.isEndStream();
                data.release();
                if (end)
                    respond(ctx, data.stream());
            } else {
                ReferenceCountUtil.release(msg);
            }
        }

        private static void respond(ChannelHandlerContext ctx, Http2FrameStream stream) {
            ctx.write(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status("200").set("content-type", "text/plain")).stream(stream));
            ctx.writeAndFlush(new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(OkApplication.OK), true).stream(stream));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
