package com.netrunsystems.cache.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;

/**
 * The outcome of one {@code doctor} check: passed (✔), a warning (⚠: works, but not as a cache wants), or
 * failed (✖: the library will not work as it should), with what was found and, unless passed, the fix. Immutable.
 *
 * @param name   what was checked, such as {@code connection}
 * @param status the outcome
 * @param detail what was found
 * @param fix    what to do, or {@code null} when passed
 */
record Check(String name, Status status, String detail, String fix) {

    /** A check's outcome, with its mark and its JSON name. */
    enum Status {
        OK("✔", "ok"), WARN("⚠", "warn"), FAIL("✖", "fail");

        final String mark;
        final String jsonName;

        Status(String mark, String jsonName) {
            this.mark = mark;
            this.jsonName = jsonName;
        }
    }

    static Check ok(String name, String detail) {
        return new Check(name, Status.OK, detail, null);
    }

    static Check warn(String name, String detail, String fix) {
        return new Check(name, Status.WARN, detail, fix);
    }

    static Check fail(String name, String detail, String fix) {
        return new Check(name, Status.FAIL, detail, fix);
    }

    void print(PrintWriter out) {
        out.printf("%s %-12s %s%n", status.mark, name, detail);
        if (fix != null) {
            out.printf("  %-12s fix: %s%n", "", fix);
        }
    }

    ObjectNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("name", name);
        node.put("status", status.jsonName);
        node.put("detail", detail);
        node.put("fix", fix);
        return node;
    }
}
