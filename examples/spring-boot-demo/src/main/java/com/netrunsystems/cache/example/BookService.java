package com.netrunsystems.cache.example;

// tag::readme[]
import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.CachePut;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.stereotype.Service;
// end::readme[]

/** The repository behind the cache "books". */
// tag::readme[]
@Service
public class BookService {

    private final BookRepository repository;   // the slow source; it and Book are in examples/spring-boot-demo

    public BookService(BookRepository repository) {
        this.repository = repository;
    }

    /** Cached under the ISBN; concurrent misses of one ISBN make one repository read. */
    @Cacheable(cacheNames = "books", sync = true)   // key: the ISBN; sync: one load per key at a time per JVM
    public Book find(String isbn) {
        return repository.find(isbn);
    }

    @CachePut(cacheNames = "books", key = "#p0.isbn()")
    public Book save(Book book) {
        return repository.save(book);
    }

    @CacheEvict(cacheNames = "books", allEntries = true)
    public void evictAll() {
    }

    public long repositoryReads() {
        return repository.reads();
    }
}
// end::readme[]
