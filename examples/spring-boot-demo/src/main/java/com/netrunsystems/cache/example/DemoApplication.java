package com.netrunsystems.cache.example;

// tag::readme[]
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cache.annotation.EnableCaching;
// end::readme[]

/** A REST service whose slow repository is cached with Spring's annotations on netrun caches. */
// tag::readme[]
@SpringBootApplication
@EnableCaching
public class DemoApplication {

    public static void main(String[] args) {
        SpringApplication.run(DemoApplication.class, args);
    }
}
// end::readme[]
