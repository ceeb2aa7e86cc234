package com.netrunsystems.cache.example;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Repository;

/** A deliberately slow store (500 ms a read), standing in for a database. Thread-safe. */
@Repository
public class BookRepository {

    private final Map<String, Book> books = new ConcurrentHashMap<>(Map.of(
            "978-0441013593", new Book("978-0441013593", "Dune", 1965),
            "978-0547928227", new Book("978-0547928227", "The Hobbit", 1937)));
    private final AtomicLong reads = new AtomicLong();

    public Book find(String isbn) {
        reads.incrementAndGet();
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return books.get(isbn);
    }

    public Book save(Book book) {
        books.put(book.isbn(), book);
        return book;
    }

    public long reads() {
        return reads.get();
    }
}
