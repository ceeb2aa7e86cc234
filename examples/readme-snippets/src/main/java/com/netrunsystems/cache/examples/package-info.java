/**
 * The README's Java snippets as compiled programs: each README block is a region of one of these
 * files, marked {@code // tag::name[]} ... {@code // end::name[]}, and {@code ReadmeSnippetsTest}
 * fails when the README and the regions differ. Each class has a {@code main}; the Redis ones take
 * a Redis URL as their first argument (default {@code redis://localhost:6379}).
 */
package com.netrunsystems.cache.examples;
