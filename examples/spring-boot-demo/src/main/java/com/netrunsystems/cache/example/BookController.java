package com.netrunsystems.cache.example;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /books/{isbn}} (with the time it took), {@code PUT /books/{isbn}}, {@code DELETE /books}. */
@RestController
public class BookController {

    private final BookService books;

    public BookController(BookService books) {
        this.books = books;
    }

    @GetMapping("/books/{isbn}")
    public ResponseEntity<Map<String, Object>> find(@PathVariable("isbn") String isbn) {
        long start = System.nanoTime();
        Book book = books.find(isbn);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("book", book);
        body.put("millis", (System.nanoTime() - start) / 1_000_000);
        body.put("repositoryReads", books.repositoryReads());
        return book == null ? ResponseEntity.status(404).body(body) : ResponseEntity.ok(body);
    }

    @PutMapping("/books/{isbn}")
    public Book save(@PathVariable("isbn") String isbn, @RequestBody Book book) {
        return books.save(new Book(isbn, book.title(), book.year()));
    }

    @DeleteMapping("/books")
    public ResponseEntity<Void> evictAll() {
        books.evictAll();
        return ResponseEntity.noContent().build();
    }
}
