package dev.prism.api;

/** Launcher of one Prism server. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        String version = Main.class.getPackage().getImplementationVersion();
        System.out.println("Prism SFU " + (version == null ? "(dev)" : version));
        System.out.println("The media server is not built yet: this launcher only prints its version.");
    }
}
