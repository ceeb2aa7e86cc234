package com.netrunsystems.cache.method;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.type.TypeFactory;
import com.netrunsystems.cache.Cached;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/** The value type a JSON backend reads back for a {@link Cached} method: futures and Optionals unwrapped, type variables resolved. */
class MethodReturnShapeTest {

    record User(String id) {
    }

    interface Repository<T, K> {
        T find(K id);

        CompletableFuture<Optional<T>> findLater(K id);

        List<T> all();
    }

    interface UserRepository extends Repository<User, String> {
        int count();

        CompletionStage<List<User>> page(int number);

        Optional<String> name();
    }

    private static MethodReturnShape shape(String name) {
        for (Method method : UserRepository.class.getMethods()) {
            if (method.getName().equals(name)) {
                return MethodReturnShape.of(UserRepository.class, method);
            }
        }
        throw new AssertionError(name);
    }

    private static String type(MethodReturnShape shape) {
        return shape.valueType().toCanonical();
    }

    @Test
    void of_typeVariableOfSuperInterface_resolvedThroughSubInterface() {
        assertThat(type(shape("find"))).isEqualTo(User.class.getName());
        assertThat(type(shape("all"))).isEqualTo("java.util.List<" + User.class.getName() + ">");
    }

    @Test
    void of_futureOfOptional_bothUnwrapped() {
        MethodReturnShape shape = shape("findLater");

        assertThat(shape.async()).isTrue();
        assertThat(shape.optional()).isTrue();
        assertThat(type(shape)).isEqualTo(User.class.getName());
    }

    @Test
    void of_completionStageOfList_asyncWithListType() {
        MethodReturnShape shape = shape("page");

        assertThat(shape.async()).isTrue();
        assertThat(shape.optional()).isFalse();
        assertThat(type(shape)).isEqualTo("java.util.List<" + User.class.getName() + ">");
    }

    @Test
    void of_primitive_boxed() {
        assertThat(shape("count").valueType()).isEqualTo(TypeFactory.defaultInstance().constructType(Integer.class));
    }

    @Test
    void of_optional_unwrapped() {
        MethodReturnShape shape = shape("name");

        assertThat(shape.async()).isFalse();
        assertThat(shape.optional()).isTrue();
        assertThat(type(shape)).isEqualTo("java.lang.String");
    }
}
