package com.netrunsystems.cache.example;

/** A book; stored in Redis as JSON bound to this record ({@code netrun.cache.caches.books.value-type}). */
public record Book(String isbn, String title, int year) {
}
