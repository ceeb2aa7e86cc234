package com.netrunsystems.cache.spring.boot;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.CachePut;
import org.springframework.cache.annotation.Cacheable;

/** A slow "repository" whose methods are cached with Spring's annotations; counts its real calls. */
public class BookService {

    final AtomicInteger calls = new AtomicInteger();
    final Map<String, String> titles = new ConcurrentHashMap<>();

    @Cacheable("books")
    public String find(String id) {
        calls.incrementAndGet();
        return id.startsWith("none") ? null : titles.getOrDefault(id, "title of " + id);
    }

    @Cacheable(cacheNames = "books", sync = true)
    public String findSync(String id) throws InterruptedException {
        calls.incrementAndGet();
        Thread.sleep(200);
        return "synced " + id;
    }

    @Cacheable("futures")
    public CompletableFuture<String> findAsync(String id) {
        calls.incrementAndGet();
        return CompletableFuture.supplyAsync(() -> "async " + id);
    }

    @CachePut(cacheNames = "books", key = "#p0")
    public String rename(String id, String title) {
        titles.put(id, title);
        return title;
    }

    /** Returns the number of real calls (the bean is a proxy: read its fields through methods). */
    public int calls() {
        return calls.get();
    }

    public void resetCalls() {
        calls.set(0);
    }

    @CacheEvict(cacheNames = "books", allEntries = true)
    public void evictAll() {
    }
}
