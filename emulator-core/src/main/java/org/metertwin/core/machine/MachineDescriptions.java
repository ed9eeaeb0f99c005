package org.metertwin.core.machine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.metertwin.core.yaml.StrictYaml;
import org.metertwin.core.yaml.YamlErrors;

/**
 * Reads machine descriptions: the boards shipped as resources ({@code machines/NAME.yaml}) and files the
 * user names. Every mistake becomes a {@link MachineException} of one line: file, line and column, the
 * field's path, and what was expected.
 */
public final class MachineDescriptions {
    /**
     * Boards shipped with MeterTwin: resources {@code machines/NAME.yaml} of whichever modules are on the
     * class path (netduinoplus2 comes with the peripherals module, metrology with metering-core).
     */
    public static final Set<String> BUILT_IN = java.util.stream.Stream.of("mps2-an386", "netduinoplus2", "metrology", "management")
            .filter(n -> MachineDescriptions.class.getResource("/machines/" + n + ".yaml") != null)
            .collect(Collectors.toUnmodifiableSet());

    private static final ObjectMapper YAML = StrictYaml.mapper();

    private MachineDescriptions() {
    }

    /** Includes deeper than this are a cycle or a mistake. */
    private static final int MAX_INCLUDE_DEPTH = 8;

    /** A built-in board by name, or a description file by path. */
    public static MachineDescription load(String nameOrPath) throws MachineException {
        if (BUILT_IN.contains(nameOrPath)) {
            return builtIn(nameOrPath + ".yaml").machine(nameOrPath + ".yaml (built in)");
        }
        Path path = Path.of(nameOrPath);
        if (Files.isDirectory(path)) {
            throw new MachineException(nameOrPath + ": is a directory, expected a machine description");
        }
        if (!Files.isRegularFile(path)) {
            throw new MachineException("unknown machine '" + nameOrPath + "' (built in: "
                    + BUILT_IN.stream().sorted().collect(Collectors.joining(", ")) + "; or a path to a description)");
        }
        return file(path, nameOrPath, 0).machine(nameOrPath);
    }

    /** A description resource {@code machines/FILE} (a board or an SoC that boards include). */
    private static MachineFile builtIn(String resource) throws MachineException {
        return builtIn(resource, 0);
    }

    private static MachineFile builtIn(String resource, int depth) throws MachineException {
        String shown = resource + " (built in)";
        try (InputStream in = MachineDescriptions.class.getResourceAsStream("/machines/" + resource)) {
            if (in == null) {
                throw new MachineException(resource + ": no such built-in description");
            }
            return resolve(parseFile(shown, in.readAllBytes()), shown, null, depth);
        } catch (IOException e) {
            throw new MachineException(shown + ": cannot be read: " + e.getMessage());
        }
    }

    private static MachineFile file(Path path, String shown, int depth) throws MachineException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (java.nio.file.AccessDeniedException e) {
            throw new MachineException(shown + ": cannot be read: permission denied");
        } catch (IOException e) {
            throw new MachineException(shown + ": cannot be read: " + e.getMessage());
        }
        return resolve(parseFile(shown, bytes), shown, path.toAbsolutePath().getParent(), depth);
    }

    /**
     * Composes {@code f} over what it includes: a file next to it ({@code dir}), else a built-in
     * description of that name (so a board file of the user's can include {@code stm32f405.yaml}).
     */
    private static MachineFile resolve(MachineFile f, String shown, Path dir, int depth) throws MachineException {
        if (f.include() == null) {
            return f;
        }
        if (depth >= MAX_INCLUDE_DEPTH) {
            throw new MachineException(shown + ": include: more than " + MAX_INCLUDE_DEPTH
                    + " levels of include (a file that includes itself?)");
        }
        Path next = dir == null ? null : dir.resolve(f.include());
        MachineFile base;
        String baseShown;
        if (next != null && Files.isRegularFile(next)) {
            baseShown = next.toString();
            base = file(next, baseShown, depth + 1);
        } else if (MachineDescriptions.class.getResource("/machines/" + f.include()) != null) {
            baseShown = f.include() + " (built in)";
            base = builtIn(f.include(), depth + 1);
        } else {
            throw new MachineException(shown + ": include: no file '" + f.include() + "'"
                    + (dir == null ? "" : " in " + dir) + " and no built-in description of that name");
        }
        return f.over(base, shown, baseShown);
    }

    /** Parses a description text; used by tests with descriptions written inline. */
    static MachineDescription parse(String file, byte[] yaml) throws MachineException {
        return resolve(parseFile(file, yaml), file, null, 0).machine(file);
    }

    private static MachineFile parseFile(String file, byte[] yaml) throws MachineException {
        String notText = StrictYaml.notText(yaml);
        if (notText != null) {
            throw new MachineException(file + ": " + notText);
        }
        if (nothingIn(yaml)) {
            throw new MachineException(file + ": empty description, expected at least name, processor and memory");
        }
        StrictYaml.Problem problem = StrictYaml.check(yaml);
        if (problem != null) {
            throw new MachineException(file + problem.text());
        }
        try {
            MachineFile d = YAML.readValue(yaml, MachineFile.class);
            if (d == null) {
                throw new MachineException(file + ": empty description, expected at least name, processor and memory");
            }
            return d;
        } catch (JsonMappingException e) {
            throw new MachineException(file + YamlErrors.location(e.getLocation()) + path(e) + explain(e));
        } catch (JsonProcessingException e) {
            throw new MachineException(file + YamlErrors.syntax(e));
        } catch (IOException e) {
            throw new MachineException(file + ": " + e.getMessage());
        }
    }

    /** True when the text holds no YAML value (blank, or comments only). */
    private static boolean nothingIn(byte[] yaml) {
        try (com.fasterxml.jackson.core.JsonParser p = StrictYaml.factory().createParser(yaml)) {
            return p.nextToken() == null;
        } catch (IOException e) {
            return false;
        }
    }

    private static String path(JsonMappingException e) {
        String path = YamlErrors.fieldPath(e);
        return path.isEmpty() ? " " : " " + path + ": ";
    }

    private static String explain(JsonMappingException e) {
        if (e instanceof UnrecognizedPropertyException u) {
            return "unknown field; expected one of " + u.getKnownPropertyIds();
        }
        String m = e.getOriginalMessage();
        if (m.startsWith("Missing required creator property")) {
            return "required field is missing";
        }
        if (e instanceof InvalidFormatException f && f.getTargetType() != null) {
            return "expected " + YamlErrors.kind(f.getTargetType()) + ", got '" + f.getValue() + "'";
        }
        if (e instanceof MismatchedInputException mi && mi.getTargetType() != null) {
            // text refused as a boolean or number: Jackson names it only in its message, as String value ("no")
            java.util.regex.Matcher text = java.util.regex.Pattern.compile("String value \\(\"(.*)\"\\)")
                    .matcher(m);
            return "expected " + YamlErrors.kind(mi.getTargetType()) + (text.find() ? ", got '" + text.group(1) + "'" : "");
        }
        Throwable cause = e.getCause();
        if (cause instanceof IllegalArgumentException) {
            return cause.getMessage();
        }
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
