package com.netrunsystems.cache.example;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/** Starts the demo as its README runs it (in memory), on a free port, and calls it over HTTP. */
class DemoApplicationTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void secondRead_isServedFromTheCache_andActuatorShowsTheCache() throws Exception {
        try (ConfigurableApplicationContext app = SpringApplication.run(DemoApplication.class, "--server.port=0")) {
            String base = "http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port");
            String first = get(base + "/books/978-0441013593", 200);
            String second = get(base + "/books/978-0441013593", 200);
            assertThat(first).contains("\"title\":\"Dune\"").contains("\"repositoryReads\":1");
            assertThat(second).contains("\"title\":\"Dune\"").contains("\"repositoryReads\":1");
            assertThat(get(base + "/actuator/caches", 200)).contains("\"books\"");
            assertThat(get(base + "/actuator/health", 200)).contains("\"netrunCache\"").contains("\"UP\"");
            assertThat(get(base + "/actuator/metrics/cache.gets?tag=result:hit&tag=cache:books&tag=layer:all", 200))
                    .contains("\"value\":1.0");
        }
    }

    private String get(String url, int status) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(url + ": " + response.body()).isEqualTo(status);
        return response.body();
    }
}
